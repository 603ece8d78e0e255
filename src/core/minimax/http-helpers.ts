/** Small pieces of the MiniMax HTTP client: transport error codes, body slicing, id parsing. */

/** Errors raised before any byte of the request left this machine. */
export const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
export const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export const DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 500_000;
/** Slice size for request bodies, so the client knows how much of a body has left. */
const BODY_SLICE_BYTES = 64 * 1024;

/** Yields `bytes` in slices and records when the last one was handed to the socket. */
export async function* slices(
  bytes: Buffer,
  progress: { complete: boolean },
): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += BODY_SLICE_BYTES) {
    yield bytes.subarray(at, at + BODY_SLICE_BYTES);
  }
  progress.complete = true;
}

/** Sockets to MiniMax at once; more requests wait in undici's queue. */
export const MAX_CONNECTIONS = 16;

/** Ids can exceed 2^53 (research §10.6): quote bare numeric ids before JSON.parse. */
export function parseKeepingIds(text: string): unknown {
  return JSON.parse(text.replace(/"(file_id|task_id)"\s*:\s*(\d+)/g, '"$1":"$2"'));
}

export function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return String(v);
  return undefined;
}

export function positive(v: unknown): number | undefined {
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
