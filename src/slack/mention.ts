import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { parseVideoCommand } from '../chat/command-parser.js';
import { isMediaFile, MAX_CHAT_FILES, wantsH3 } from '../chat/media-files.js';
import type { ImageSlot } from '../core/request-types.js';
import { chatText } from '../messages/catalog-chat.js';
import type { SlackApi, SlackFile } from './slack-api.js';
import type { Notify, SlackJobs } from './slack-jobs.js';

export interface MentionDeps {
  api: SlackApi;
  jobs: SlackJobs;
  logger: Logger;
  /** DEFAULT_MODEL: with MiniMax-H3 a mention may carry up to 12 images, clips and voices. */
  defaultModel?: string;
}

const HOW_TO =
  'Mention me with a prompt, and attach one image to animate it or two for the first and last frame; /video opens a form.';

interface MentionEvent {
  user?: string;
  text: string;
  ts: string;
  channel: string;
  thread_ts?: string;
  files?: SlackFile[];
}

const isImage = (f: SlackFile) => (f.mimetype ?? '').startsWith('image/');

/**
 * `@bot <prompt>` with zero, one (first frame, or `--subject`) or two images (first and last
 * frame). In a thread without attachments, the thread's first message lends its images.
 */
export function registerMention(app: App, deps: MentionDeps): void {
  const { api, jobs, logger } = deps;

  app.event('app_mention', async ({ event, body }) => {
    const e = event as unknown as MentionEvent;
    const teamId = (body as { team_id?: string }).team_id;
    if (!e.user) return;
    // One message makes one job however often Slack delivers it (retries, duplicate envelopes).
    const key = `slack:msg:${teamId}:${e.channel}:${e.ts}`;
    if (jobs.seenRecently(key)) return;
    const threadTs = e.thread_ts ?? e.ts;
    const notify: Notify = (text) =>
      api
        .postEphemeral(e.channel, e.user!, text, e.thread_ts)
        .catch((err: unknown) => logger.warn({ err }, 'could not answer the mention'));

    const parsed = parseVideoCommand(e.text);
    if (parsed.kind === 'error') return notify(parsed.message);
    const request = parsed.kind === 'request' ? parsed.request : {};
    const h3 = wantsH3(request.model, deps.defaultModel);
    const usable = h3
      ? (f: SlackFile) => isMediaFile({ name: f.name, contentType: f.mimetype })
      : isImage;
    let images = (e.files ?? []).filter(usable);
    if (!images.length && e.thread_ts) {
      images = await api
        .threadParentFiles(e.channel, e.thread_ts)
        .then((files) => files.filter(usable))
        .catch((err: unknown) => {
          logger.debug({ err }, 'could not read the thread parent');
          return [];
        });
    }
    if (parsed.kind === 'modal' && !images.length) return notify(HOW_TO);
    const place = { userId: e.user, channelId: e.channel, teamId, threadTs };
    const asSubject = parsed.kind === 'request' && parsed.asSubject;
    // MiniMax-H3: up to 12 images, clips and voices, sorted by the core's frames-or-references rule.
    if (h3) {
      if (images.length > MAX_CHAT_FILES)
        return notify(chatText('en', 'tooManyFiles', { n: images.length, max: MAX_CHAT_FILES }));
      const files = images;
      return void (await jobs.submitNew(place, key, notify, async () => {
        const media = await jobs.downloadFiles(files, asSubject ? 'reference' : undefined);
        return { ...request, ...(media.length ? { media } : {}) };
      }));
    }
    if (images.length > 2) {
      return notify(
        `Attach one image (first frame) or two (first and last frame); this message has ${images.length}.`,
      );
    }
    const slots: ImageSlot[] = asSubject ? ['subject'] : ['first', 'last'];
    if (asSubject && images.length !== 1) {
      return notify('With --subject, attach exactly one photo of the face to keep.');
    }
    const files: Partial<Record<ImageSlot, SlackFile>> = {};
    images.forEach((file, i) => {
      files[slots[i]!] = file;
    });
    await jobs.submitNew(place, key, notify, async () => ({
      ...request,
      images: await jobs.downloadImages(files),
    }));
  });
}
