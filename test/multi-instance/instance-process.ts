import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromInstance } from './instance-entry.js';

const ENTRY = fileURLToPath(new URL('./instance-entry.ts', import.meta.url));

/** A bot instance in its own process (see instance-entry.ts), with what it reported so far. */
export class InstanceProcess {
  readonly messages: FromInstance[] = [];
  private readonly exited: Promise<void>;
  private stderr = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (m: FromInstance) => this.messages.push(m));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts the process and resolves once its engine started. */
  static async start(name: string, env: Record<string, string>): Promise<InstanceProcess> {
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      env: { PATH: process.env.PATH ?? '', INSTANCE_NAME: name, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const instance = new InstanceProcess(name, child);
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromInstance) => m.type === 'ready' && resolve());
      child.once('exit', (code) =>
        reject(new Error(`${name} exited (${code}) before ready:\n${instance.stderr}`)),
      );
    });
    return instance;
  }

  submit(
    prompt: string,
    userId = 'u1',
    as: { platform?: 'cli' | 'discord'; workspaceId?: string } = {},
  ): void {
    this.child.send({ type: 'submit', prompt, userId, ...as });
  }

  /** Refusal codes this instance answered, one per refused submit. */
  refused(): string[] {
    return this.messages.flatMap((m) => (m.type === 'refused' ? [m.code] : []));
  }

  cancel(jobId: string, userId: string): void {
    this.child.send({ type: 'cancel', jobId, userId });
  }

  /** The user who submitted `jobId` here. */
  userOf(jobId: string): string | undefined {
    for (const m of this.messages) if (m.type === 'submitted' && m.jobId === jobId) return m.userId;
    return undefined;
  }

  cancelOutcome(jobId: string): string | undefined {
    for (const m of this.messages)
      if (m.type === 'cancelled' && m.jobId === jobId) return m.outcome;
    return undefined;
  }

  /** Job ids whose create this instance sent (it saw submitting → generating). */
  createdJobs(): string[] {
    return this.messages.flatMap((m) =>
      m.type === 'state' && m.from === 'submitting' && m.to === 'generating' ? [m.jobId] : [],
    );
  }

  delivered(): string[] {
    return this.messages.flatMap((m) => (m.type === 'delivered' ? [m.jobId] : []));
  }

  submitted(): string[] {
    return this.messages.flatMap((m) => (m.type === 'submitted' ? [m.jobId] : []));
  }

  /** kill -9: no shutdown code runs, exactly like a crashed machine. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (SIGTERM), falling back to kill after a few seconds. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
