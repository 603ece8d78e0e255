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
export interface MinimaxClient {
  /** Returns the task id. Throws a MinimaxError subclass; `definitelyNotCreated` says whether retrying is safe. */
  createTask(
    body: CreateVideoBody,
    signal?: AbortSignal,
  ): Promise<{ taskId: string; traceId?: string }>;
  queryTask(taskId: string, signal?: AbortSignal): Promise<TaskInfo>;
  retrieveFile(fileId: string, signal?: AbortSignal): Promise<FileInfo>;
}
