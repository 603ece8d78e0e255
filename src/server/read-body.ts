import type { IncomingMessage } from 'node:http';
import { BotError } from '../core/errors.js';

export class BodyTooLargeError extends BotError {
  override name = 'BodyTooLargeError';
  constructor(message: string) {
    super({ code: 'body_too_large', message });
  }
}

/**
 * Reads a small request body as text. Rejects past `limitBytes` or `timeoutMs`, so a slow or huge
 * body cannot hold a socket or memory.
 */
export function readBody(
  req: IncomingMessage,
  options: { limitBytes: number; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish(new Error('request body timed out')), options.timeoutMs);
    timer.unref();
    const finish = (err?: Error) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', finish).off('aborted', onAborted);
      if (err) {
        // Stop reading but let the response still be written on this socket.
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.limitBytes) return finish(new BodyTooLargeError('request body too large'));
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onAborted = () => finish(new Error('request aborted'));
    req.on('data', onData).on('end', onEnd).on('error', finish).on('aborted', onAborted);
  });
}
