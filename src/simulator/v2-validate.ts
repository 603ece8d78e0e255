/**
 * The create rules of MiniMax's V2 video API (research/minimax-h3.md §2 and §6), as the real
 * service applies them: each broken rule is a 400 with code 2013 and no task.
 */

const RULES: Record<string, { resolutions: string[]; min: number; max: number }> = {
  'MiniMax-H3': { resolutions: ['768P', '2K'], min: 4, max: 15 },
  'MiniMax-H3-Max': { resolutions: ['480P', '768P'], min: 5, max: 15 },
};
const RATIOS = ['adaptive', '21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];
const FRAME_ROLES = ['first_frame', 'last_frame'];
const MAX_TEXT = 7_000;
const URL_KEY = { image_url: 'image_url', video_url: 'video_url', audio_url: 'audio_url' } as const;
const MIME_OF_KIND: Record<string, RegExp> = {
  image_url: /^data:image\/(jpeg|jpg|png|webp|heic|heif);base64,/,
  video_url: /^data:video\/(mp4|quicktime);base64,/,
  audio_url: /^data:audio\/(wav|x-wav|wave|mpeg|mp3);base64,/,
};

type Item = Record<string, unknown>;

/** Why a V2 create is refused, or undefined when MiniMax would accept it. */
export function validateV2Body(
  raw: unknown,
  regeneration = false,
  uploadedKind: (fileId: string) => string | undefined = () => undefined,
): string | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'body must be a JSON object';
  const body = raw as Record<string, unknown>;
  const rule = typeof body.model === 'string' ? RULES[body.model] : undefined;
  if (!rule) return `model must be one of ${Object.keys(RULES).join(', ')}`;
  if (typeof body.resolution !== 'string' || !rule.resolutions.includes(body.resolution))
    return `resolution must be one of ${rule.resolutions.join(', ')} for ${String(body.model)}`;
  if (typeof body.duration !== 'number' || !Number.isInteger(body.duration))
    return 'duration must be an integer';
  if (body.duration < rule.min || body.duration > rule.max)
    return `duration must be ${rule.min}-${rule.max} for ${String(body.model)}`;
  if (body.ratio !== undefined && (typeof body.ratio !== 'string' || !RATIOS.includes(body.ratio)))
    return `ratio must be one of ${RATIOS.join(', ')}`;
  if (!Array.isArray(body.content)) return 'content must be an array';
  const items = body.content as Item[];
  const texts = items.filter((i) => i?.type === 'text');
  if (texts.length !== 1) return 'content must hold exactly one text item';
  const text = texts[0]!.text;
  if (typeof text !== 'string' || text.trim() === '') return 'text must not be empty';
  if (text.length > MAX_TEXT) return `text must be at most ${MAX_TEXT} characters`;
  const media = items.filter((i) => i?.type !== 'text');
  for (const item of media) {
    const problem = checkItem(item, regeneration) ?? checkFileRef(item, uploadedKind);
    if (problem) return problem;
  }
  if (regeneration) {
    const bases = media.filter((i) => i.role === 'base_video');
    return bases.length === 1 && media.length === 1
      ? undefined
      : 'regeneration takes exactly one video_url with role base_video';
  }
  return checkCombination(media, body);
}

function checkItem(item: Item, regeneration: boolean): string | undefined {
  const kind = item?.type;
  if (kind !== 'image_url' && kind !== 'video_url' && kind !== 'audio_url')
    return `unknown content type ${String(kind)}`;
  const holder = item[URL_KEY[kind]] as { url?: unknown } | undefined;
  const url = holder?.url;
  if (typeof url !== 'string' || url === '') return `${kind}.url is required`;
  const isData = url.startsWith('data:');
  if (isData && !MIME_OF_KIND[kind]!.test(url)) return `${kind} has an unsupported format`;
  if (!isData && !/^(https?:\/\/|mm_file:\/\/)/.test(url)) return `${kind}.url must be a URL`;
  if (regeneration) return undefined;
  const role = item.role;
  if (kind === 'image_url') {
    if (role !== undefined && ![...FRAME_ROLES, 'reference_image'].includes(String(role)))
      return `role ${String(role)} is not valid for an image`;
  } else if (role !== `reference_${kind.replace('_url', '')}`) {
    return `a ${kind.replace('_url', '')} needs role reference_${kind.replace('_url', '')}`;
  }
  return undefined;
}

/** `mm_file://<id>` must name an uploaded file of the item's kind (a clip, not a document). */
function checkFileRef(
  item: Item,
  uploadedKind: (fileId: string) => string | undefined,
): string | undefined {
  const kind = String(item.type).replace('_url', '');
  const url = (item[URL_KEY[item.type as keyof typeof URL_KEY]] as { url: string }).url;
  const m = /^mm_file:\/\/(\d+)$/.exec(url);
  if (!url.startsWith('mm_file://')) return undefined;
  if (!m) return `${item.type as string}.url names no file`;
  const found = uploadedKind(m[1]!);
  if (!found) return `file ${m[1]} does not exist`;
  if (kind !== 'image' && found !== kind) return `file ${m[1]} is not a ${kind} file`;
  return undefined;
}

function checkCombination(media: Item[], body: Record<string, unknown>): string | undefined {
  const images = media.filter((i) => i.type === 'image_url');
  // A lone image without a role is a first frame.
  const roleOf = (i: Item) =>
    i.role ?? (i.type === 'image_url' && images.length === 1 ? 'first_frame' : 'reference_image');
  const count = (role: string) => media.filter((i) => roleOf(i) === role).length;
  const frames = count('first_frame') + count('last_frame');
  const refImages = count('reference_image');
  const refVideos = count('reference_video');
  const refAudios = count('reference_audio');
  const refs = refImages + refVideos + refAudios;
  if (frames > 0 && refs > 0) return 'frames and references cannot be combined';
  if (count('first_frame') > 1 || count('last_frame') > 1)
    return 'at most one first_frame and one last_frame';
  if (refImages > 9) return 'at most 9 reference images';
  if (refVideos > 3) return 'at most 3 reference videos';
  if (refAudios > 3) return 'at most 3 reference audios';
  if (refs > 12) return 'at most 12 reference files';
  if (refAudios > 0 && refImages + refVideos === 0)
    return 'reference audio needs a reference image or video';
  if (media.length === 0 && (body.ratio === undefined || body.ratio === 'adaptive'))
    return 'ratio must be a concrete aspect ratio for text-only videos';
  return undefined;
}
