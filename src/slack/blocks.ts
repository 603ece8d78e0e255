import type { types } from '@slack/bolt';
import { hasSound, upscaleMaxPriceUsd } from '../core/h3-models.js';
import { canUpscale } from '../core/h3-upscale.js';
import type { Job } from '../core/jobs/job.js';
import { costLineOf } from '../core/pricing/cost-line.js';
import { type ChatKey, chatText } from '../messages/catalog-chat.js';
import { describeRequest } from '../messages/describe-request.js';
import {
  formatDuration as formatAny,
  langOf,
  messageFor,
  renderMessage,
} from '../messages/index.js';

export const CANCEL_ACTION = 'video_cancel';
export const REGENERATE_ACTION = 'video_regenerate';
export const VARIATIONS_ACTION = 'video_variations';
export const UPSCALE_ACTION = 'video_upscale';

/** What a status message shows besides the job itself (from the latest ProgressEvent). */
export interface StatusView {
  queuePosition?: number;
  elapsedMs: number;
  estimatedRemainingMs?: number;
  fraction?: number;
}

export interface RenderedMessage {
  /** Notification / fallback text. */
  text: string;
  blocks: types.KnownBlock[];
}

const BAR_CELLS = 12;
const PROMPT_PREVIEW_CHARS = 280;

/** `m:ss`, or `h:mm:ss` past an hour (the catalog's one formatter). */
export function formatDuration(ms: number): string {
  return formatAny(ms, 'clock');
}

/** A text bar such as `▰▰▰▰▱▱▱▱▱▱▱▱ 33%`. */
export function progressBar(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * BAR_CELLS);
  return `${'▰'.repeat(full)}${'▱'.repeat(BAR_CELLS - full)} ${Math.floor(f * 100)}%`;
}

/** Slack mrkdwn needs only these three escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function headline(job: Job, view: StatusView): string {
  const lang = langOf(job.origin.locale);
  const say = (key: ChatKey, params?: Record<string, string | number>) =>
    chatText(lang, key, params);
  const why = (fallback: ChatKey) =>
    escapeMrkdwn(job.error ? messageFor(job.error, job.origin.locale) : say(fallback));
  switch (job.state) {
    case 'queued':
      return view.queuePosition
        ? say('slackQueuedAt', { n: view.queuePosition })
        : say('slackQueued');
    case 'submitting':
      return say('slackSending');
    case 'generating':
      if (job.minimaxStatus === 'Preparing') return say('slackPreparing');
      if (job.minimaxStatus === 'Queueing') return say('slackInQueue');
      return say('slackRendering');
    case 'downloading':
      return say('slackDownloading');
    case 'uploading':
      return say('slackUploading');
    case 'done': {
      const t = formatDuration(view.elapsedMs);
      return job.resultUrl
        ? say('slackDoneLink', { t, url: job.resultUrl })
        : say('slackDone', { t });
    }
    case 'failed':
      return say('slackFailed', { why: why('slackFailedPlain') });
    case 'cancelled':
      return job.cancelRequestedBy
        ? say('slackCancelledBy', { user: job.cancelRequestedBy })
        : say('slackCancelled');
    case 'expired':
      return say('slackExpired', { why: why('slackTookTooLong') });
  }
}

function progressLine(job: Job, view: StatusView): string | undefined {
  if (!['queued', 'submitting', 'generating', 'downloading', 'uploading'].includes(job.state)) {
    return undefined;
  }
  const lang = langOf(job.origin.locale);
  const parts = [chatText(lang, 'slackElapsed', { t: formatDuration(view.elapsedMs) })];
  if (view.fraction !== undefined) parts.push(progressBar(view.fraction));
  if (view.estimatedRemainingMs !== undefined && view.estimatedRemainingMs > 0) {
    parts.push(chatText(lang, 'slackLeft', { t: formatDuration(view.estimatedRemainingMs) }));
  }
  return parts.join('  ·  ');
}

/** The Settings line under the prompt: model, resolution, duration, camera, requester. */
export function settingsLine(job: Job): string {
  return `${describeRequest(job.request, job.origin.locale)} · asked by <@${job.origin.userId}>`;
}

function promptPreview(job: Job): string {
  const prompt = job.request.prompt.trim();
  if (!prompt) return `_${job.request.mode === 'i2v' ? 'animate the image' : 'no prompt'}_`;
  const cut =
    prompt.length > PROMPT_PREVIEW_CHARS ? `${prompt.slice(0, PROMPT_PREVIEW_CHARS)}…` : prompt;
  return `> ${escapeMrkdwn(cut).replace(/\n/g, '\n> ')}`;
}

function buttons(job: Job): types.KnownBlock | undefined {
  if (!job.id) return undefined;
  const cancellable = ['queued', 'submitting', 'generating'].includes(job.state);
  const finished = ['done', 'failed', 'cancelled', 'expired'].includes(job.state);
  if (cancellable) {
    return {
      type: 'actions',
      block_id: 'video_actions',
      elements: [
        {
          type: 'button',
          action_id: CANCEL_ACTION,
          text: { type: 'plain_text', text: chatText(langOf(job.origin.locale), 'cancel') },
          style: 'danger',
          value: job.id,
        },
      ],
    };
  }
  if (!finished) return undefined;
  return {
    type: 'actions',
    block_id: 'video_actions',
    elements: [
      {
        type: 'button',
        action_id: REGENERATE_ACTION,
        text: { type: 'plain_text', text: chatText(langOf(job.origin.locale), 'regenerate') },
        value: job.id,
      },
      {
        type: 'button',
        action_id: VARIATIONS_ACTION,
        text: { type: 'plain_text', text: chatText(langOf(job.origin.locale), 'variations') },
        value: job.id,
      },
      // A finished 768P MiniMax-H3 video can be re-rendered at 2K; the label carries the price.
      ...(canUpscale(job)
        ? [
            {
              type: 'button' as const,
              action_id: UPSCALE_ACTION,
              text: {
                type: 'plain_text' as const,
                text: chatText(langOf(job.origin.locale), 'upscale', {
                  price: upscaleMaxPriceUsd(job.request.duration ?? 6),
                }),
              },
              style: 'primary' as const,
              value: job.id,
            },
          ]
        : []),
    ],
  };
}

/** Lines MiniMax-H3 adds: the sound, the enhanced prompt, and after a cancel whether it is billed. */
function h3Lines(job: Job): string[] {
  const lang = langOf(job.origin.locale);
  const lines: string[] = [];
  if (job.state === 'cancelled' && job.cancelCharged !== undefined)
    lines.push(renderMessage({ key: job.cancelCharged ? 'cancel_charged' : 'cancel_free' }, lang)!);
  if (job.state !== 'cancelled' && hasSound(job.request.model))
    lines.push(`:sound: ${renderMessage({ key: 'sound_note' }, lang)}`);
  if (job.enhancedPrompt)
    lines.push(
      escapeMrkdwn(
        renderMessage({ key: 'enhanced_prompt', params: { prompt: job.enhancedPrompt } }, lang)!,
      ),
    );
  const cost = costLineOf(job);
  if (cost) lines.push(`:dollar: ${renderMessage(cost, lang)}`);
  return lines;
}

/** The one status message of a job, for chat.postMessage and chat.update. */
export function renderStatus(job: Job, view: StatusView): RenderedMessage {
  const head = headline(job, view);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', text: { type: 'mrkdwn', text: promptPreview(job) } },
  ];
  const progress = progressLine(job, view);
  const context = [...(progress ? [progress] : []), settingsLine(job), ...h3Lines(job)];
  blocks.push({
    type: 'context',
    elements: context.map((text) => ({ type: 'mrkdwn', text })),
  });
  const actions = buttons(job);
  if (actions) blocks.push(actions);
  const plain = head
    .replace(/^:[a-z_]+: /, '')
    .replace(/\*/g, '')
    .replace(/<[^|>]+\|([^>]+)>/g, '$1');
  return { text: `Video: ${plain}`, blocks };
}

/** The comment posted with the uploaded MP4: the prompt and the settings used. */
export function uploadComment(job: Job): string {
  const prompt = job.request.prompt.trim();
  const lines = [`Here is your video, <@${job.origin.userId}>.`];
  // Slack parses the comment like a message: unescaped, `<!channel>` in a prompt would ping the
  // channel with the bot's rights and `<https://evil|HD>` would show only "HD".
  if (prompt)
    lines.push(
      `Prompt: ${escapeMrkdwn(prompt.length > 1000 ? `${prompt.slice(0, 1000)}…` : prompt)}`,
    );
  lines.push(`Settings: ${describeRequest(job.request, job.origin.locale)}`);
  return lines.join('\n');
}
