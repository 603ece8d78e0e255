import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Ack {
  latencyMs: number | null;
  ackType: number | null;
}

export interface DiscordProcess {
  token: string;
  applicationId: string;
  apiUrl: string;
  waitForIdentify(): Promise<void>;
  /** Dispatches `count` /video commands at once from distinct users; resolves when all are acked (or 30 s). */
  burst(count: number, label: string, firstUser: number): Promise<Ack[]>;
  stop(): Promise<void>;
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string }) => {
      if (msg.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(msg as T);
    };
    const onExit = (code: number | null) => reject(new Error(`fake Discord exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The fake Discord (test/fakes/discord) in a child process. */
export async function startDiscordProcess(): Promise<DiscordProcess> {
  const child = fork(fileURLToPath(new URL('./discord-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await next<{ token: string; applicationId: string; apiUrl: string }>(
    child,
    'ready',
  );
  return {
    token: ready.token,
    applicationId: ready.applicationId,
    apiUrl: ready.apiUrl,
    async waitForIdentify() {
      const done = next(child, 'identified');
      child.send({ type: 'identify' });
      await done;
    },
    async burst(count, label, firstUser) {
      const reply = next<{ acks: Ack[] }>(child, 'acks');
      child.send({ type: 'burst', count, label, firstUser });
      return (await reply).acks;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
