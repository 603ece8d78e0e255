import { baseRespReply, jsonReply, type Reply } from './replies.js';

/** Purposes MiniMax's file upload documents for clips (research/minimax-api.md §8). */
const PURPOSES: Record<string, 'video' | 'audio' | 'other'> = {
  video_understanding: 'video',
  prompt_audio: 'audio',
  voice_clone: 'audio',
  t2a_async_input: 'other',
};

export interface UploadedFile {
  fileId: string;
  purpose: string;
  filename: string;
  mime: string;
  bytes: number;
  kind: 'video' | 'audio' | 'other';
  createdAt: number;
}

/**
 * POST /v1/files/upload: a multipart form with `purpose` and `file`, parsed by the platform's
 * own multipart reader. Uploaded files can be named in V2 content as `mm_file://<file_id>`.
 */
export class SimFileUploads {
  readonly files = new Map<string, UploadedFile>();
  private next = 1;

  constructor(private readonly now: () => number) {}

  async upload(raw: Buffer | undefined, contentType: string | undefined): Promise<Reply> {
    const invalid = (msg: string) => baseRespReply(2013, `invalid params, ${msg}`);
    if (!raw || !contentType?.startsWith('multipart/form-data'))
      return invalid('a multipart/form-data body is required');
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    } catch {
      return invalid('the multipart body could not be read');
    }
    const purpose = form.get('purpose');
    const file = form.get('file');
    if (typeof purpose !== 'string' || !(purpose in PURPOSES))
      return invalid(`purpose must be one of ${Object.keys(PURPOSES).join(', ')}`);
    if (!file || typeof file === 'string') return invalid('file is required');
    const uploaded: UploadedFile = {
      // Numeric like every MiniMax file id (research/minimax-api.md: ids are JSON numbers).
      fileId: String(300_000_000_000_000 + this.next++),
      purpose,
      filename: file.name,
      mime: file.type,
      bytes: file.size,
      kind: PURPOSES[purpose]!,
      createdAt: this.now(),
    };
    this.files.set(uploaded.fileId, uploaded);
    return jsonReply({
      file: {
        file_id: Number(uploaded.fileId),
        bytes: uploaded.bytes,
        created_at: Math.floor(uploaded.createdAt / 1000),
        filename: uploaded.filename,
        purpose,
      },
      base_resp: { status_code: 0, status_msg: 'success' },
    });
  }

  /** What an `mm_file://` URL names, for the V2 content checks. */
  kindOf(fileId: string): UploadedFile['kind'] | undefined {
    return this.files.get(fileId)?.kind;
  }
}
