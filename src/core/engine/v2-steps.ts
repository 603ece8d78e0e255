import { BotError } from '../errors.js';
import { isV2Model } from '../h3-models.js';
import { toUpscaleBody } from '../h3-request.js';
import type { Job } from '../jobs/job.js';
import type { CreateV2Body } from '../minimax/types.js';
import type { JobRun } from './job-run.js';
import type { RunContext } from './run-context.js';

/** MiniMax's clock and ours may differ by this much when matching listed tasks to a create. */
const CLOCK_SKEW_MS = 60_000;

/**
 * MiniMax-H3's prompt enhancer, run once before the create: its text is saved on the job (and
 * shown in the progress message) before it is sent, so a restart sends the same prompt. When
 * the enhancer fails the job goes on with the user's own prompt rather than failing.
 */
export async function enhanceOnce(ctx: RunContext, run: JobRun, job: Job): Promise<Job> {
  const enhance = ctx.client.enhancePrompt?.bind(ctx.client);
  if (!job.request.enhance || job.enhancedPrompt || !enhance) return job;
  try {
    const text = await ctx.queries.send(run.signal, () =>
      enhance(job.request.model, job.request.prompt, run.signal),
    );
    run.logger.info({ chars: text.length }, 'prompt enhanced');
    return await ctx.records.update(job.id, { enhancedPrompt: text });
  } catch (err) {
    run.signal.throwIfAborted();
    run.logger.warn({ err }, 'prompt enhancer failed; sending the prompt as written');
    return job;
  }
}

/** The 2K re-render needs the 768P video's current link: the source task is queried for it. */
export async function upscaleBody(ctx: RunContext, run: JobRun, job: Job): Promise<CreateV2Body> {
  const source = job.request.upscaleOf!;
  const info = await ctx.queries.send(run.signal, () =>
    ctx.client.queryTask(source.taskId, run.signal, 'v2'),
  );
  if (!info.downloadUrl || !ctx.client.regenerate)
    throw new BotError({ code: 'h3_upscale_not_possible' });
  return toUpscaleBody(job.request, info.downloadUrl, ctx.callbackUrl);
}

/**
 * A V2 create whose answer was lost may still have made a task. MiniMax-H3 can list the
 * account's recent tasks: the ones of this model, made since this create was sent, with this
 * job's resolution and length and not already a task of another job, are the candidates.
 * Exactly one is adopted; none or several leave the job failing as "unknown", never creating
 * a second task. (The list does not echo prompts, so two identical requests sent at the same
 * moment stay ambiguous on purpose.)
 */
export async function adoptFromList(
  ctx: RunContext,
  run: JobRun,
  job: Job,
): Promise<string | undefined> {
  const list = ctx.client.listTasks?.bind(ctx.client);
  if (!list || job.createStartedAt === undefined) return undefined;
  try {
    const [listed, active] = await Promise.all([
      ctx.queries.send(run.signal, () => list({ model: job.request.model }, run.signal)),
      ctx.store.listActive(),
    ]);
    const taken = new Set(active.filter((j) => j.id !== job.id).map((j) => j.taskId));
    const since = job.createStartedAt - CLOCK_SKEW_MS;
    const wantedType = job.request.upscaleOf ? 'regeneration' : 'generation';
    const candidates = listed.filter(
      (t) =>
        !taken.has(t.taskId) &&
        (t.model === undefined || t.model === job.request.model) &&
        (t.createdAt === undefined || t.createdAt >= since) &&
        (t.taskType === undefined || t.taskType === wantedType) &&
        (t.duration === undefined || t.duration === job.request.duration) &&
        (t.resolution === undefined ||
          job.request.upscaleOf ||
          t.resolution === job.request.resolution),
    );
    run.logger.warn(
      { candidates: candidates.map((t) => t.taskId) },
      'create answer lost; looked for the task in the list',
    );
    return candidates.length === 1 ? candidates[0]!.taskId : undefined;
  } catch (err) {
    run.logger.warn({ err }, 'could not list tasks to resolve a lost create answer');
    return undefined;
  }
}

/**
 * Whether a job being cancelled is billed, cancelling its MiniMax-H3 task when it is still
 * queued (free at MiniMax). A running H3 task cannot be cancelled (MiniMax refuses) and a V1
 * task cannot be cancelled at all: both are billed. No task yet: nothing is billed.
 */
export async function cancelAtMinimax(
  ctx: Pick<RunContext, 'client'>,
  job: Job,
  logger: Pick<RunContext['logger'], 'info'>,
): Promise<boolean> {
  if (!job.taskId) return false;
  if (!isV2Model(job.request.model) || !ctx.client.cancelTask) return true;
  try {
    await ctx.client.cancelTask(job.taskId);
    return false;
  } catch (err) {
    logger.info({ err, jobId: job.id }, 'MiniMax kept the task (it had started)');
    return true;
  }
}
