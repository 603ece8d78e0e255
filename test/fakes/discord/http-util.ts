import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NewFile } from './fake-state.js';
import type { RecordedFile } from './recorder.js';
import type { Reply } from './rest-router.js';

export interface FileSpec {
  filename: string;
  bytes: Buffer;
  contentType?: string;
  width?: number;
  height?: number;
}

export function isFileSpec(v: unknown): v is FileSpec {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as FileSpec).bytes);
}

/** JSON, or multipart with `payload_json` and `files[n]` parts (Discord's upload format). */
export async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body?: unknown; files: NewFile[]; kind: 'json' | 'multipart' | 'none' }> {
  if (raw.length === 0) return { files: [], kind: 'none' };
  if (contentType.startsWith('application/json'))
    return { body: JSON.parse(raw.toString('utf8')), files: [], kind: 'json' };
  if (!contentType.startsWith('multipart/form-data')) return { files: [], kind: 'none' };
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let body: unknown;
  const files: NewFile[] = [];
  for (const [field, value] of form.entries()) {
    if (field === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
    const m = /^files\[(\d+)\]$/.exec(field);
    if (m && typeof value !== 'string')
      files.push({
        index: Number(m[1]),
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: Buffer.from(await value.arrayBuffer()),
      });
  }
  return { body, files, kind: 'multipart' };
}

export function summarise(f: NewFile): RecordedFile {
  return {
    field: `files[${f.index}]`,
    filename: f.filename,
    contentType: f.contentType,
    size: f.bytes.length,
    sha256: createHash('sha256').update(f.bytes).digest('hex'),
    bytes: f.bytes,
  };
}

/** JSON answers always carry the content type: @discordjs/rest parses JSON only then. */
export function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers ?? {});
    res.end();
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
  res.end(JSON.stringify(reply.body));
}
