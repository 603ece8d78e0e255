import type { TaskStatus } from './types.js';

/**
 * Maps MiniMax's status strings onto TaskStatus. Docs say Fail, some clients see Failed, callbacks
 * use lower case (research/minimax-api.md §3.2, §6); anything unknown stays non-terminal.
 */
export function normaliseTaskStatus(raw: unknown): TaskStatus {
  switch (
    String(raw ?? '')
      .trim()
      .toLowerCase()
  ) {
    case 'preparing':
      return 'Preparing';
    case 'queueing':
    case 'queuing':
    case 'queued':
      return 'Queueing';
    case 'processing':
    case 'running':
      return 'Processing';
    case 'success':
    case 'succeeded':
      return 'Success';
    case 'fail':
    case 'failed':
    case 'error':
      return 'Fail';
    default:
      return 'Unknown';
  }
}

export function isTerminalStatus(status: TaskStatus): boolean {
  return status === 'Success' || status === 'Fail';
}
