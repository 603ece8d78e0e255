/** Wire shapes of the MiniMax V1 video API (research/minimax-api.md §2–3). */

export interface BaseResp {
  status_code: number;
  status_msg?: string;
}

/** Body of POST /v1/video_generation. Only fields that are set are sent. */
export interface CreateVideoBody {
  model: string;
  prompt?: string;
  prompt_optimizer?: boolean;
  duration?: number;
  resolution?: string;
  first_frame_image?: string;
  last_frame_image?: string;
  subject_reference?: { type: 'character'; image: string[] }[];
  callback_url?: string;
  aigc_watermark?: boolean;
}

/** Normalised task status: documented values plus tolerated spellings, compared case-insensitively. */
export type TaskStatus = 'Preparing' | 'Queueing' | 'Processing' | 'Success' | 'Fail' | 'Unknown';

export interface TaskInfo {
  taskId: string;
  status: TaskStatus;
  /** The raw status string MiniMax sent. */
  rawStatus: string;
  /** Present on Success; always a string (empty string while pending is normalised away). */
  fileId?: string;
  width?: number;
  height?: number;
  /** On Fail, MiniMax's reason if any. */
  failureMessage?: string;
  failureCode?: number;
  traceId?: string;
  /** V2: the finished video's URL (it expires; query again for a fresh one). */
  downloadUrl?: string;
  /** V2: seconds MiniMax bills for this task (`usage.total_seconds`). */
  billedSeconds?: number;
  /** V2: the task was cancelled (by us, while queued) or expired at MiniMax. */
  cancelled?: boolean;
}

export interface FileInfo {
  fileId: string;
  downloadUrl: string;
  backupDownloadUrl?: string;
  filename?: string;
  createdAt?: number;
  traceId?: string;
}

/** The client port; `MinimaxHttpClient` implements it on undici. */
export interface MinimaxClient extends Partial<MinimaxV2Calls> {
  /**
   * Returns the task id. A V2 body (with `content`) goes to the V2 API. Throws a MinimaxError
   * subclass; `definitelyNotCreated` says whether retrying is safe.
   */
  createTask(
    body: CreateVideoBody | CreateV2Body,
    signal?: AbortSignal,
  ): Promise<{ taskId: string; traceId?: string }>;
  /** `api` defaults to V1; a V2 answer carries the video's URL itself (no retrieve step). */
  queryTask(taskId: string, signal?: AbortSignal, api?: ApiVersion): Promise<TaskInfo>;
  retrieveFile(fileId: string, signal?: AbortSignal): Promise<FileInfo>;
}

/** Which MiniMax video API a task lives on: V1 (Hailuo and older) or V2 (MiniMax-H3). */
export type ApiVersion = 'v1' | 'v2';

/** One content item of a V2 create (research/minimax-h3.md §2). */
export type V2ContentItem =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string }; role?: V2Role }
  | { type: 'video_url'; video_url: { url: string }; role?: V2Role }
  | { type: 'audio_url'; audio_url: { url: string }; role?: V2Role };

export type V2Role =
  | 'first_frame'
  | 'last_frame'
  | 'reference_image'
  | 'reference_video'
  | 'reference_audio'
  | 'base_video';

/** Body of POST /v2/video_generation (and, with a `base_video`, /v2/video_regeneration). */
export interface CreateV2Body {
  model: string;
  content: V2ContentItem[];
  resolution: string;
  duration: number;
  ratio?: string;
  callback_url?: string;
  aigc_watermark?: boolean;
}

export const isV2Body = (body: CreateVideoBody | CreateV2Body): body is CreateV2Body =>
  Array.isArray((body as CreateV2Body).content);

/** V2 only: a task of the account's recent list (ambiguous creates are resolved with it). */
export interface ListedTask {
  taskId: string;
  model?: string;
  status: TaskStatus;
  rawStatus: string;
  /** Epoch ms, when MiniMax said. */
  createdAt?: number;
  resolution?: string;
  duration?: number;
  ratio?: string;
  taskType?: string;
}

/**
 * The V2-only calls. `MinimaxHttpClient` has them all; a client without them (a test double,
 * an older deployment) simply offers no cancel at MiniMax, no list and no 2K re-render.
 */
export interface MinimaxV2Calls {
  /** Cancels a queued task (free) or deletes a finished one; throws for running tasks. */
  cancelTask(taskId: string, signal?: AbortSignal): Promise<void>;
  listTasks(filter: { model?: string }, signal?: AbortSignal): Promise<ListedTask[]>;
  /** Re-renders a finished 768P video at 2K; a new task. */
  regenerate(body: CreateV2Body, signal?: AbortSignal): Promise<{ taskId: string }>;
  /** MiniMax's prompt enhancer: the rewritten prompt. */
  enhancePrompt(model: string, prompt: string, signal?: AbortSignal): Promise<string>;
  /** Stores a reference clip at MiniMax (POST /v1/files/upload); its id goes out as `mm_file://`. */
  uploadFile(
    file: { bytes: Buffer; name: string; mime: string },
    purpose: string,
    signal?: AbortSignal,
  ): Promise<{ fileId: string }>;
}
