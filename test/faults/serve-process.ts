import type { ChildProcess } from 'node:child_process';
import { collect, spawnCli } from '../cli/run-cli.js';

/** `minimax-video-bot serve` in a child process, as `npm start` runs it. */
export class ServeProcess {
  private output = '';
  private readonly done: ReturnType<typeof collect>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.done = collect(child);
  }

  /** Starts the bot and resolves once it logged "bot started" (adapters connected). */
  static async start(cwd: string, env: Record<string, string>): Promise<ServeProcess> {
    const serve = new ServeProcess(
      spawnCli(['serve'], { cwd, env: { LOG_LEVEL: 'info', ...env } }),
    );
    for (let i = 0; i < 600; i++) {
      if (serve.output.includes('"msg":"bot started"')) return serve;
      if (serve.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const result = await Promise.race([serve.done, Promise.resolve(undefined)]);
    serve.child.kill('SIGKILL');
    throw new Error(`serve did not start: ${result?.stderr ?? ''}${serve.output.slice(-2000)}`);
  }

  /** kill -9: no shutdown code runs, like a crashed machine. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    const result = await this.done;
    if (result.signal !== 'SIGKILL') throw new Error(`expected SIGKILL, got ${result.code}`);
  }

  /** Graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return (await this.done).code;
  }

  /** Parsed pino lines written so far. */
  logs(): { msg?: string; level?: number }[] {
    return this.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; level?: number });
  }
}
