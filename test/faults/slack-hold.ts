import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface Hold {
  /** Resolves when the first matching request arrived and is being held. */
  readonly arrived: Promise<void>;
  /** Lets held requests go on (or, after a kill, simply drops them) and stops holding. */
  release(): void;
}

/**
 * Holds requests to the fake Slack whose path starts with `pathPrefix`, to freeze the bot at
 * one step of delivery. `stage: 'before'` holds the request before the fake sees it (nothing
 * happened yet); `stage: 'after'` lets the fake act on it and holds only the answer (it happened,
 * but the bot does not know). The fake has no such fault, so this wraps its request listener.
 */
export function holdSlack(fake: FakeSlack, pathPrefix: string, stage: 'before' | 'after'): Hold {
  // The fake keeps its http.Server private; tests of crash windows need to sit in front of it.
  const server = (fake as unknown as { server: Server }).server;
  const [original] = server.listeners('request') as Listener[];
  const waiting: (() => void)[] = [];
  let holding = true;
  let onArrive!: () => void;
  const arrived = new Promise<void>((resolve) => {
    onArrive = resolve;
  });
  const wrapper: Listener = (req, res) => {
    if (!holding || !req.url?.startsWith(pathPrefix)) return original!(req, res);
    onArrive();
    if (stage === 'before') {
      waiting.push(() => original!(req, res));
      return;
    }
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      waiting.push(() => end(...args));
      return res;
    }) as ServerResponse['end'];
    original!(req, res);
  };
  server.removeListener('request', original!);
  server.on('request', wrapper);
  return {
    arrived,
    release() {
      holding = false;
      server.removeListener('request', wrapper);
      server.on('request', original!);
      for (const go of waiting.splice(0)) go();
    },
  };
}
