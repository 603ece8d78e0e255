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
 * no video is posted twice. The row's counts come from what the simulator, the store and the
 * fake Slack saw (a job never settled, or settled without telling the user, counts as lost),
 * and are asserted only after the row is built. Returns the row for the tally.
 */
export async function runSlackScenario(stack: AppStack, s: SlackScenario): Promise<FaultRow> {
  const { sim, slack } = stack;
  const mark = sim.requests.length;
  for (const fault of s.minimax ?? []) sim.inject(fault);
  const ofPrompt = (prompt: string) => (j: Job) => j.request.prompt === prompt;
  await Promise.all(s.prompts.map((text) => slack!.slashCommand({ text })));
  await s.during?.();
  const terminal = ['done', 'failed', 'cancelled', 'expired'];
  await eventually(
    () =>
      s.prompts.every((p) =>
        stack.jobs().some((j) => ofPrompt(p)(j) && terminal.includes(j.state)),
      ),
    15_000,
  );

  let lost = 0;
  let duplicateTasks = 0;
  let duplicatePosts = 0;
  const facts: { prompt: string; jobs: Job[]; tasks: number; posts: number }[] = [];
  for (const prompt of s.prompts) {
    const jobs = stack.jobs().filter(ofPrompt(prompt));
    const job = jobs[0];
    const ts = String(job?.origin.ref.statusTs);
    const channel = String(job?.origin.ref.channel);
    const told =
      job?.state === 'done'
        ? /^:white_check_mark: \*Done\*/
        : job?.error
          ? new RegExp(`^:x: \\*Failed\\*: ${escapeRe(escapeMrkdwn(job.error.userMessage))}`)
          : undefined;
    const shown =
      told !== undefined &&
      (await eventually(() => told.test(headline(stack, channel, ts)), 5_000));
    // Finished means done, or failed/expired with the reason in the user's status message.
    if (!job || !terminal.includes(job.state) || !shown) lost += 1;
    const tasks = [...sim.tasks.values()].filter((t) => t.body.prompt === prompt).length;
    duplicateTasks += Math.max(0, tasks - 1);
    const posts = job
      ? slack!.recorder.of('files.completeUploadExternal').filter((c) => c.args.thread_ts === ts)
          .length
      : 0;
    duplicatePosts += Math.max(0, posts - 1);
    facts.push({ prompt, jobs, tasks, posts });
  }
  const faults = s.faults?.() ?? (s.minimax ?? []).reduce((n, f) => n + (f.times ?? 1), 0);
  const row: FaultRow = {
    scenario: s.name,
    faults,
    jobs: s.prompts.length,
    lost,
    duplicateTasks,
    duplicatePosts,
    outcome: s.outcome,
  };

  expect({ lost, duplicateTasks, duplicatePosts }, s.name).toEqual({
    lost: 0,
    duplicateTasks: 0,
    duplicatePosts: 0,
  });
  for (const { prompt, jobs, tasks, posts } of facts) {
    expect(jobs, `one job for "${prompt}"`).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.state, `${prompt}: ${JSON.stringify(job.error)}`).toBe(s.expected);
    if (s.message) expect(job.error?.userMessage).toMatch(s.message);
    expect(tasks, `tasks for "${prompt}"`).toBe(s.tasksPerJob ?? 1);
    expect(posts, `videos posted for "${prompt}"`).toBe(
      s.filesPerJob ?? (s.expected === 'done' ? 1 : 0),
    );
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
  return row;
}

/** True once `check` holds, false after `timeoutMs`: the caller counts a false, it never hides it. */
async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
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
