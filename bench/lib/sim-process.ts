import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '../../src/simulator/index.js';

export interface SimProcess {
  url: string;
  apiKey: string;
  /** Requests the simulator has seen, by route. */
  counts(): Promise<Record<string, number>>;
  /** Arrival times (epoch ms, simulator clock) of one route's requests since `since`. */
  times(route: string, since: number): Promise<number[]>;
  stop(): Promise<void>;
}

type Reply =
  | { type: 'ready'; url: string; apiKey: string }
  | { type: 'counts'; counts: Record<string, number> }
  | { type: 'times'; times: number[] };

/**
 * The simulator in its own process, so that memory measurements of the bot never include the
 * simulator's request log or the bytes it streams.
 */
export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child = fork(
    fileURLToPath(new URL('./sim-child.ts', import.meta.url)),
    [JSON.stringify(options)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = <T extends Reply['type']>(type: T) =>
    new Promise<Extract<Reply, { type: T }>>((resolve, reject) => {
      const onMessage = (msg: Reply) => {
        if (msg.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(msg as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`simulator exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  return {
    url: ready.url,
    apiKey: ready.apiKey,
    async counts() {
      const reply = next('counts');
      child.send({ type: 'counts' });
      return (await reply).counts;
    },
    async times(route, since) {
      const reply = next('times');
      child.send({ type: 'times', route, since });
      return (await reply).times;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
