import type { UploadedFile } from './file-uploads.js';
/** Public types of the MiniMax simulator. Kept apart from src/core on purpose (no shared mistakes). */

/** `list`, `cancel`, `regenerate` and `enhance` are V2 (MiniMax-H3) routes; V2 creates and
 * queries share `create` and `query` with V1 (see RecordedRequest.api). */
export type SimRoute =
  | 'create'
  | 'query'
  | 'retrieve'
  | 'download'
  | 'list'
  | 'cancel'
  | 'regenerate'
  | 'enhance'
  | 'upload';

export type SimStatus = 'Preparing' | 'Queueing' | 'Processing' | 'Success' | 'Fail';

export interface SimulatorOptions {
  /** Bearer key the simulator accepts. Default `sim-key`. */
  apiKey?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** How long each phase lasts, in ms. Default `{ preparing: 50, queueing: 50, processing: 200 }`. */
  timelineMs?: Partial<TimelineMs>;
  /** Creates allowed per sliding minute; above it create answers HTTP 200 with base_resp 1002. */
  rpm?: number;
  /** MP4 served for every finished task. Default: the package's assets/sample.mp4. */
  videoPath?: string;
  /** Serve a streamed synthetic MP4 of this many bytes instead of a file (never held in memory). */
  videoBytes?: number;
  /** Lifetime of a download URL from the retrieve call. Default 3_600_000 (1 h). */
  downloadUrlTtlMs?: number;
  /** Spelling of the failed status in queries. Default `Fail` (documented); `Failed` is tolerated. */
  failSpelling?: 'Fail' | 'Failed';
  /** Add `backup_download_url` to retrieve answers (ComfyUI's model has it). Default false. */
  backupDownloadUrl?: boolean;
  /** Digits of generated file ids (15 today; 18-digit ids exist elsewhere at MiniMax). Default 15. */
  fileIdDigits?: number;
  /** Largest request body accepted; bigger ones get HTTP 413. Default 30,000,000 bytes. */
  maxBodyBytes?: number;
  /** Pace the reading of request bodies to this many bytes per second (real time). Default: no limit. */
  uploadBytesPerSecond?: number;
  /** MP4 (with an audio track) served for finished MiniMax-H3 tasks. Default assets/sample-sound.mp4. */
  soundVideoPath?: string;
  /** Output seconds V2 answers report as billed (`usage`); default the task's duration. */
  billedSeconds?: number;
  /** Time source for the timeline, rate limit and URL expiry. Default `Date.now`. */
  now?: () => number;
  /** One line per request and per callback. */
  logger?: (line: string) => void;
}

export interface TimelineMs {
  preparing: number;
  queueing: number;
  processing: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  at: number;
  route: SimRoute | 'unknown';
  /** Which API the request spoke. */
  api: 'v1' | 'v2';
  /** V2 routes with the task id in the path: that id. */
  taskId?: string;
}

export interface SimTask {
  readonly taskId: string;
  readonly model: string;
  readonly body: Record<string, unknown>;
  readonly createdAt: number;
  /** Current status (computed from the timeline on each read). */
  readonly status: SimStatus;
  /** Set once the task has succeeded. */
  readonly fileId: string | undefined;
  readonly outcome: 'Success' | 'Fail';
  /** base_resp reported by queries once the task has failed (0 for a plain failure). */
  readonly failCode: number;
  readonly failMsg: string;
  readonly width: number;
  readonly height: number;
}

interface FaultBase {
  route: SimRoute;
  /** How many matching requests it applies to. Default 1; `Infinity` = until clearFaults(). */
  times?: number;
  /** Create faults only: make the task first, then lose the answer (ambiguous-timeout tests). */
  afterCreate?: boolean;
}

export type Fault = FaultBase &
  (
    | { kind: 'http'; status: number; body?: string | object }
    | { kind: 'base_resp'; code: number; msg?: string }
    | { kind: 'non_json' }
    /** Destroy the socket without an answer. */
    | { kind: 'drop' }
    /** Wait, then answer normally. */
    | { kind: 'delay'; ms: number }
    /** Download only: declare the full length, send half, cut the connection. */
    | { kind: 'truncate' }
    /** Download: answer 403 like an expired CDN link; retrieve: hand out an already-expired URL. */
    | { kind: 'expired_url' }
  );

export interface Simulator {
  /** Base URL to use as MINIMAX_BASE_URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  creates(): RecordedRequest[];
  queries(taskId?: string): RecordedRequest[];
  readonly tasks: ReadonlyMap<string, SimTask>;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Ends a task now (default Success), firing callbacks. */
  finish(taskId: string, outcome?: 'Success' | 'Fail'): void;
  /** V2: ids of tasks cancelled while queued (never charged). */
  cancelledTasks(): string[];
  /** Files stored through POST /v1/files/upload (reference clips of MiniMax-H3 requests). */
  uploads(): UploadedFile[];
  stop(): Promise<void>;
}
