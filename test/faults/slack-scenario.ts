import { expect } from 'vitest';
import type { Job } from '../../src/core/jobs/job.js';
import type { Fault } from '../../src/simulator/sim-types.js';
import type { AppStack } from './app-stack.js';
import type { FaultRow } from './fault-tally.js';

export interface SlackScenario {
  name: string;
  /** One `/video` per prompt, sent together. */
  prompts: string[];
  /** Simulator faults armed before the commands are sent. */
  minimax?: Fault[];
  /** Runs once the commands are sent (platform faults, holds...). */
  during?: () => void | Promise<void>;
  /** How many faulty answers the bot met; default: the `times` of every simulator fault. */
  faults?: () => number;
  expected: 'done' | 'failed';
  /** For failed jobs: the sentence the user must read in the status message. */
  message?: RegExp;
  /** Tasks MiniMax made for each job: 1, or 0 when the create never reached it. Default 1. */
  tasksPerJob?: number;
  /** MP4 files shared per job; default 1 when done, 0 when failed (a link is not a file). */
  filesPerJob?: number;
  outcome: string;
}

const escapeMrkdwn = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Runs one fault scenario through Slack and checks what the issue asks of every fault: the
 * user is told what happened or the job completes, no job is lost, none is created twice and
 * no video is posted twice. Returns the row for the tally.
 */
export async function runSlackScenario(stack: AppStack, s: SlackScenario): Promise<FaultRow> {
  const { sim, slack } = stack;
  const mark = sim.requests.length;
  for (const fault of s.minimax ?? []) sim.inject(fault);
  const ofPrompt = (prompt: string) => (j: Job) => j.request.prompt === prompt;
  await Promise.all(s.prompts.map((text) => slack!.slashCommand({ text })));
  await s.during?.();
  const terminal = ['done', 'failed', 'cancelled', 'expired'];
  await expect
    .poll(
      () =>
        s.prompts.filter((p) =>
          stack.jobs().some((j) => ofPrompt(p)(j) && terminal.includes(j.state)),
        ).length,
      { timeout: 15_000 },
    )
    .toBe(s.prompts.length);

  let lost = 0;
  let duplicateTasks = 0;
  let duplicatePosts = 0;
  for (const prompt of s.prompts) {
    const jobs = stack.jobs().filter(ofPrompt(prompt));
    expect(jobs, `one job for "${prompt}"`).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.state, `${prompt}: ${JSON.stringify(job.error)}`).toBe(s.expected);
    const ts = String(job.origin.ref.statusTs);
    const channel = String(job.origin.ref.channel);
    const shown =
      s.expected === 'done'
        ? /^:white_check_mark: \*Done\*/
        : new RegExp(`^:x: \\*Failed\\*: ${escapeRe(escapeMrkdwn(job.error!.userMessage))}`);
    await expect.poll(() => headline(stack, channel, ts), { timeout: 5_000 }).toMatch(shown);
    if (s.message) expect(job.error?.userMessage).toMatch(s.message);
    if (!terminal.includes(job.state)) lost += 1;
    const tasks = [...sim.tasks.values()].filter((t) => t.body.prompt === prompt).length;
    expect(tasks, `tasks for "${prompt}"`).toBe(s.tasksPerJob ?? 1);
    duplicateTasks += Math.max(0, tasks - 1);
    const posts = slack!.recorder
      .of('files.completeUploadExternal')
      .filter((c) => c.args.thread_ts === ts).length;
    expect(posts, `videos posted for "${prompt}"`).toBe(
      s.filesPerJob ?? (s.expected === 'done' ? 1 : 0),
    );
    duplicatePosts += Math.max(0, posts - 1);
  }
  // Every armed fault was met: each route saw at least its faulty answers plus the good one.
  for (const route of new Set((s.minimax ?? []).map((f) => f.route))) {
    const armed = (s.minimax ?? [])
      .filter((f) => f.route === route)
      .reduce((n, f) => n + (f.times ?? 1), 0);
    const seen = sim.requests.slice(mark).filter((r) => r.route === route).length;
    const good = s.expected === 'done' ? s.prompts.length : 0;
    expect(seen, `${route} requests`).toBeGreaterThanOrEqual(armed + good);
  }
  const faults = s.faults?.() ?? (s.minimax ?? []).reduce((n, f) => n + (f.times ?? 1), 0);
  return {
    scenario: s.name,
    faults,
    jobs: s.prompts.length,
    lost,
    duplicateTasks,
    duplicatePosts,
    outcome: s.outcome,
  };
}

/** The first block of the status message: what the user reads first. */
export function headline(stack: AppStack, channel: string, ts: string): string {
  const blocks = stack.slack!.state.message(channel, ts)?.blocks as
    | { text?: { text?: string } }[]
    | undefined;
  return blocks?.[0]?.text?.text ?? '';
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
