import type { IncomingMessage, ServerResponse } from 'node:http';

/** A route mounted on the bot's one HTTP server (health, metrics, Slack events, callbacks, videos). */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'HEAD';
  /** Exact path, or a prefix when it ends with `/`. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}
