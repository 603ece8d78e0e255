import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonBuilder,
  ButtonStyle,
} from 'discord.js';
import { hasSound, upscaleMaxPriceUsd } from '../core/h3-models.js';
import { canUpscale } from '../core/h3-upscale.js';
import type { Job } from '../core/jobs/job.js';
import { costLineOf } from '../core/pricing/cost-line.js';
import type { ProgressEvent } from '../core/progress.js';
import { describeRequest } from '../messages/describe-request.js';
import { messageFor, renderMessage } from '../messages/index.js';
import { formatDuration, type Lang, langOf, t } from './i18n.js';
import { disarmMaskedLinks } from './safe-text.js';

/** What one edit of the job's message sets. */
export interface MessageView {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Button ids: `video:<action>:<jobId>[:<requesterId>]` (Discord allows 100 characters). */
export const BUTTON = {
  cancel: 'cancel',
  regenerate: 'regen',
  variations: 'vary',
  upscale: 'upscale',
} as const;
export type ButtonAction = (typeof BUTTON)[keyof typeof BUTTON];

export function buttonId(action: ButtonAction, jobId: string, requesterId?: string): string {
  return ['video', action, jobId, ...(requesterId ? [requesterId] : [])].join(':');
}

export function parseButtonId(
  customId: string,
): { action: ButtonAction; jobId: string; requesterId?: string } | undefined {
  const [prefix, action, jobId, requesterId] = customId.split(':');
  if (prefix !== 'video' || !jobId || !Object.values(BUTTON).includes(action as ButtonAction))
    return undefined;
  return { action: action as ButtonAction, jobId, ...(requesterId ? { requesterId } : {}) };
}

const BAR_CELLS = 12;
const PROMPT_PREVIEW_CHARS = 300;

function bar(fraction: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_CELLS);
  return `\`${'█'.repeat(full)}${'░'.repeat(BAR_CELLS - full)}\` ${Math.round(fraction * 100)} %`;
}

function quote(prompt: string): string {
  if (!prompt.trim()) return '';
  const text =
    [...prompt].length > PROMPT_PREVIEW_CHARS
      ? `${[...prompt].slice(0, PROMPT_PREVIEW_CHARS).join('')}…`
      : prompt;
  return disarmMaskedLinks(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function stateLabel(job: Job, lang: Lang): string {
  if (job.state === 'queued') return t(lang, 'queued');
  if (job.state === 'submitting') return t(lang, 'submitting');
  if (job.state === 'downloading') return t(lang, 'downloading');
  if (job.state === 'uploading') return t(lang, 'uploading');
  const status = job.minimaxStatus?.toLowerCase();
  if (status === 'preparing') return t(lang, 'preparing');
  if (status === 'queueing') return t(lang, 'waiting');
  return t(lang, 'rendering');
}

function row(...buttons: ButtonBuilder[]) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON();
}

/** The live message: state, queue position, elapsed time and an estimated-remaining bar, plus Cancel. */
export function renderProgress(event: ProgressEvent): MessageView {
  const { job } = event;
  const lang = langOf(job.origin.locale);
  const head = [`⏳ **${stateLabel(job, lang)}**`];
  if (job.state === 'queued' && event.queuePosition)
    head.push(t(lang, 'queuePosition', { n: event.queuePosition }));
  // Whole seconds, so edits happen only when something visible changes.
  head.push(t(lang, 'elapsed', { t: formatDuration(Math.floor(event.elapsedMs / 1000) * 1000) }));
  const lines = [head.join(' · ')];
  if (event.fraction !== undefined) {
    const left =
      event.estimatedRemainingMs !== undefined && event.estimatedRemainingMs > 0
        ? ` · ${t(lang, 'remaining', { t: formatDuration(roundUp(event.estimatedRemainingMs)) })}`
        : '';
    lines.push(`${bar(event.fraction)}${left}`);
  }
  lines.push(describeRequest(job.request, job.origin.locale));
  const q = quote(job.request.prompt);
  if (q) lines.push(q);
  lines.push(...h3Lines(job, lang));
  return {
    content: lines.join('\n'),
    components: [
      row(
        new ButtonBuilder()
          .setCustomId(buttonId(BUTTON.cancel, job.id, job.origin.userId))
          .setLabel(t(lang, 'cancel'))
          .setStyle(ButtonStyle.Danger),
      ),
    ],
  };
}

/** Remaining time shown in 5 s steps, so the estimate does not cause an edit every second. */
function roundUp(ms: number): number {
  return Math.ceil(ms / 5000) * 5000;
}

function resultButtons(job: Job, lang: Lang) {
  const buttons = [
    new ButtonBuilder()
      .setCustomId(buttonId(BUTTON.regenerate, job.id))
      .setLabel(t(lang, 'regenerate'))
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(buttonId(BUTTON.variations, job.id))
      .setLabel(t(lang, 'variations'))
      .setStyle(ButtonStyle.Secondary),
  ];
  // A finished 768P MiniMax-H3 video can be re-rendered at 2K; the label carries the price.
  if (canUpscale(job))
    buttons.push(
      new ButtonBuilder()
        .setCustomId(buttonId(BUTTON.upscale, job.id))
        .setLabel(upscaleLabel(job, lang))
        .setStyle(ButtonStyle.Primary),
    );
  return row(...buttons);
}

function upscaleLabel(job: Job, lang: Lang): string {
  return t(lang, 'upscale', { price: upscaleMaxPriceUsd(job.request.duration ?? 6) });
}

/** Lines MiniMax-H3 adds: the sound, the enhanced prompt, and after a cancel whether it is billed. */
function h3Lines(job: Job, lang: Lang): string[] {
  const lines: string[] = [];
  if (job.state === 'cancelled' && job.cancelCharged !== undefined)
    lines.push(renderMessage({ key: job.cancelCharged ? 'cancel_charged' : 'cancel_free' }, lang)!);
  if (job.state !== 'cancelled' && hasSound(job.request.model))
    lines.push(`🔊 ${renderMessage({ key: 'sound_note' }, lang)}`);
  if (job.enhancedPrompt)
    lines.push(
      renderMessage(
        { key: 'enhanced_prompt', params: { prompt: quote(job.enhancedPrompt) } },
        lang,
      )!,
    );
  const cost = costLineOf(job);
  if (cost) lines.push(`💵 ${renderMessage(cost, lang)}`);
  return lines;
}

/** The finished message: the settings used, the prompt, and (when it does not fit) a link line. */
export function renderDone(job: Job, extra?: string): MessageView {
  const lang = langOf(job.origin.locale);
  const took = job.createdAt
    ? ` · ${t(lang, 'tookTime', { t: formatDuration(elapsedOf(job)) })}`
    : '';
  const lines = [
    `✅ **${t(lang, 'done')}**${took}`,
    describeRequest(job.request, job.origin.locale),
  ];
  const q = quote(job.request.prompt);
  if (q) lines.push(q);
  lines.push(...h3Lines(job, lang));
  if (extra) lines.push(extra);
  return { content: lines.join('\n'), components: [resultButtons(job, lang)] };
}

function elapsedOf(job: Job): number {
  return Math.max(0, (job.finishedAt ?? job.updatedAt) - job.createdAt);
}

/** Failed, cancelled or expired: the core's one-sentence reason, and a Regenerate button. */
export function renderEnded(job: Job): MessageView {
  const lang = langOf(job.origin.locale);
  const title =
    job.state === 'cancelled'
      ? `⏹️ **${t(lang, 'cancelled')}**`
      : job.state === 'expired'
        ? `⌛ **${t(lang, 'expired')}**`
        : `❌ **${t(lang, 'failed')}**`;
  const lines = [title];
  if (job.error?.userMessage && job.state !== 'cancelled') {
    lines.push(messageFor(job.error, job.origin.locale));
  }
  lines.push(describeRequest(job.request, job.origin.locale));
  const q = quote(job.request.prompt);
  if (q) lines.push(q);
  lines.push(...h3Lines(job, lang));
  return { content: lines.join('\n'), components: [resultButtons(job, lang)] };
}

/** A refusal before any job exists (bad input, quota): one sentence, no buttons. */
export function renderRefusal(userMessage: string): MessageView {
  return { content: `❌ ${userMessage}`, components: [] };
}
