import type { MessageRef } from '../../messages/index.js';
import type { VideoRequest } from '../request-types.js';

export const JOB_STATES = [
  'queued',
  'submitting',
  'generating',
  'downloading',
  'uploading',
  'done',
  'failed',
  'cancelled',
  'expired',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_STATES: readonly JobState[] = ['done', 'failed', 'cancelled', 'expired'];
export const isTerminal = (s: JobState): boolean => TERMINAL_STATES.includes(s);

/** Allowed edges of SPEC §1.2. Every state change goes through `transition()`. */
export const TRANSITIONS: Record<JobState, readonly JobState[]> = {
  queued: ['submitting', 'cancelled', 'failed', 'expired'],
  // submitting -> queued: the create was refused for sure (1002 rate limit, connection refused).
  submitting: ['generating', 'queued', 'failed', 'cancelled'],
  generating: ['downloading', 'failed', 'cancelled', 'expired'],
  downloading: ['uploading', 'failed', 'expired', 'cancelled'],
  uploading: ['done', 'failed'],
  done: [],
  failed: [],
  cancelled: [],
  expired: [],
};
export const canTransition = (from: JobState, to: JobState): boolean =>
  TRANSITIONS[from].includes(to);

/**
 * Where a job came from, as its adapter names itself (`discord`, `slack`, `cli`, ...). Open on
 * purpose: a new adapter needs no change in the core; deliverers and access rules are keyed by it.
 */
export type Platform = string;

/**
 * Who asked, and where the answer goes. `ref` belongs to the adapter (interaction token, message
 * ids, thread ts...) and is persisted with the job so delivery survives a restart.
 */
export interface JobOrigin {
  platform: Platform;
  userId: string;
  /** Display name when the platform gave one (the dashboard shows it). */
  userName?: string;
  channelId: string;
  /** Discord guild id or Slack team id. */
  workspaceId?: string;
  /** 'en' or 'zh' (from the user's locale). */
  locale?: string;
  /** Platform groups of the user (Discord role ids, Slack user-group ids) for access checks. */
  roles?: string[];
  /** Set by the adapter when the user may administer the bot (Discord Manage Server, ADMIN_USERS). */
  isAdmin?: boolean;
  ref: Record<string, unknown>;
}

export interface JobCost {
  /** ISO 4217 code of the price table, e.g. `USD`. */
  currency: string;
  /** Set at admission from the price table. */
  estimate: number;
  /** Set when the job ends: what MiniMax bills (0 for failed and cancelled-while-queued jobs). */
  actual?: number;
  /** V2 answers carry the billed seconds (`usage.total_seconds`). */
  billedSeconds?: number;
}

export interface JobFailure {
  code: string;
  /** The user's sentence as catalog key + parameters; adapters render it (src/messages). */
  text?: MessageRef;
  /** English rendering (and the only text of jobs stored before the catalog). */
  userMessage: string;
  /** Simplified Chinese `userMessage`, when the error had one. */
  userMessageZh?: string;
}

export interface Job {
  /** Unguessable id (also used in /videos/<id>.mp4 links). */
  id: string;
  /** Compare-and-set version, set by the store (1 on insert, +1 on every write). */
  version?: number;
  state: JobState;
  /** The validated request, without image bytes (those live under the store's input keys). */
  request: VideoRequest;
  origin: JobOrigin;
  createdAt: number;
  updatedAt: number;
  /** When the job first left the queue (queue wait = submittedAt - createdAt). */
  submittedAt?: number;
  finishedAt?: number;
  /** Set the moment MiniMax returns it, before anything else happens. */
  taskId?: string;
  /**
   * Set (durably) just before a create request is sent and cleared when MiniMax certainly refused
   * it. A `submitting` job found at start with this set and no `taskId` may have made a task, so
   * it is failed rather than created again; without it the create was never sent and it requeues.
   */
  createStartedAt?: number;
  fileId?: string;
  /** Last MiniMax status seen (Preparing, Queueing, Processing, ...). */
  minimaxStatus?: string;
  pollCount: number;
  /** Number of creates attempted that MiniMax certainly refused (never counts an ambiguous one). */
  createAttempts: number;
  videoPath?: string;
  videoBytes?: number;
  /** MiniMax download link, for oversized videos when PUBLIC_URL is unset. */
  downloadUrl?: string;
  downloadUrlExpiresAt?: number;
  /** Where the user can see the result (platform message link, file permalink, served link). */
  resultUrl?: string;
  cancelRequestedBy?: string;
  /**
   * MiniMax-H3: set when a cancel reached MiniMax. `false`: the task was still queued and was
   * cancelled free of charge; `true`: it had started and MiniMax bills it.
   */
  cancelCharged?: boolean;
  /** MiniMax-H3: seconds MiniMax bills for the task (`usage.total_seconds` of the V2 answer). */
  billedSeconds?: number;
  /** MiniMax-H3 prompt enhancer output (what was sent), shown in the progress message. */
  enhancedPrompt?: string;
  /** Price of the job (issue #14), in the price table's currency. */
  cost?: JobCost;
  error?: JobFailure;
  /** Free-form reason for the last transition, for logs and status messages. */
  reason?: string;
}

/** A fresh `queued` record: the one place that knows a new job's starting fields. */
export function newJobRecord(fields: {
  id: string;
  request: VideoRequest;
  origin: JobOrigin;
  now: number;
}): Job {
  return {
    id: fields.id,
    state: 'queued',
    request: fields.request,
    origin: fields.origin,
    createdAt: fields.now,
    updatedAt: fields.now,
    pollCount: 0,
    createAttempts: 0,
  };
}
