/** Types of the request model (SPEC §1.1). Validation lives in request.ts. */

import type { Variation } from './variation.js';

export type Mode = 't2v' | 'i2v' | 'fl2v' | 's2v';
/** 480P and 2K are MiniMax-H3 resolutions (H3-Max: 480P, 768P; H3: 768P, 2K). */
export type Resolution = '480P' | '512P' | '720P' | '768P' | '1080P' | '2K';
/** Whole seconds: 6 or 10 on V1 models, 4–15 on MiniMax-H3 (the rules live in models.ts, h3-request.ts). */
export type Duration = number;
/** `subject` is also MiniMax-H3's reference image 1; `ref2`…`ref9` are its further reference images. */
export type ImageSlot = 'first' | 'last' | 'subject' | RefSlot;
export const REF_SLOTS = ['ref2', 'ref3', 'ref4', 'ref5', 'ref6', 'ref7', 'ref8', 'ref9'] as const;
export type RefSlot = (typeof REF_SLOTS)[number];
/** Every slot, in the order images go to MiniMax. */
export const IMAGE_SLOTS: readonly ImageSlot[] = ['first', 'last', 'subject', ...REF_SLOTS];
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** MiniMax-H3 (V2 API) aspect ratios; `adaptive` follows the input frames. */
export const RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'] as const;
export type Ratio = (typeof RATIOS)[number];

/**
 * How an attached file is used on MiniMax-H3. Unset: the documented rule of core/h3-media.ts
 * decides (e.g. one lone image = first frame, clips and audio = references).
 */
export type MediaRole = 'first_frame' | 'last_frame' | 'reference';

/** What a file is, read from its bytes by core/media-probe.ts (file-type, mp4box, music-metadata). */
export interface MediaProbe {
  kind: 'image' | 'video' | 'audio' | 'other';
  /** File extension of the detected format (`mp4`, `mov`, `mp3`, `wav`, `png`, `ogg`…). */
  format?: string;
  mime?: string;
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Codec string of the video track (`avc1.640015`, `hvc1…`). */
  videoCodec?: string;
}

/** A reference clip after its checks, before it is uploaded to MiniMax. */
export interface CheckedClip {
  kind: 'video' | 'audio';
  bytes: Buffer;
  mime: string;
  seconds: number;
  name?: string;
}

/** A reference clip as kept in the job record: uploaded once, sent as `mm_file://<fileId>`. */
export interface ReferenceClip {
  kind: 'video' | 'audio';
  fileId: string;
  seconds: number;
  name?: string;
}

/**
 * A chat attachment or local file for MiniMax-H3: an image, a video clip (MP4/MOV) or an audio
 * clip (WAV/MP3). The kind is detected from the content, never from the name or content type.
 */
export interface MediaInput {
  bytes: Buffer;
  name?: string;
  /** What the platform claimed; a hint for messages only. */
  contentType?: string;
  role?: MediaRole;
  /** Filled by `probeMedia` before validation (validation itself stays synchronous). */
  probe?: MediaProbe;
}

/** Raw bytes of an input image as it arrived (file, Discord attachment, Slack file). */
export interface ImageInput {
  bytes: Buffer;
  /** Original file name, only for messages; the type is detected from the content. */
  name?: string;
}

/** An image after validation. */
export interface CheckedImage {
  bytes: Buffer;
  mime: ImageMime;
  width: number;
  height: number;
}

/** What a user (or adapter) asks for, before validation. Strings come straight from the user. */
export interface RawVideoRequest {
  prompt?: string;
  model?: string;
  duration?: number | string;
  resolution?: string;
  /** One of the 15 camera commands, English or Chinese; appended to the prompt as `[Pan left]`. */
  camera?: string;
  promptOptimizer?: boolean;
  watermark?: boolean;
  images?: Partial<Record<ImageSlot, ImageInput>>;
  /** MiniMax-H3 only: aspect ratio (one of RATIOS). */
  ratio?: string;
  /** MiniMax-H3 only: rewrite the prompt with MiniMax's prompt enhancer before generating. */
  enhance?: boolean;
  /** MiniMax-H3 only: frames and references (images, clips, audio) in the order given. */
  media?: MediaInput[];
}

/** A validated request. Image bytes are kept apart from the job record. */
export interface VideoRequest {
  mode: Mode;
  model: string;
  /** Final prompt sent to MiniMax (camera command already appended). */
  prompt: string;
  /** Omitted for the 01 series. */
  duration?: Duration;
  resolution?: Resolution;
  camera?: string;
  promptOptimizer: boolean;
  watermark: boolean;
  /** Which slots carry an image; bytes are stored separately. */
  imageSlots: ImageSlot[];
  /** MiniMax-H3 only. */
  ratio?: Ratio;
  /** MiniMax-H3 only: the prompt enhancer runs before the create. */
  enhance?: boolean;
  /**
   * MiniMax-H3 "Upscale to 2K": this job re-renders the finished 768P video of `jobId` (MiniMax
   * task `taskId`) at 2K through the V2 regeneration call instead of a fresh create.
   */
  upscaleOf?: { jobId: string; taskId: string };
  /** Set on a Variations job: how it differs from the job it varies (see core/variation.ts). */
  variation?: Variation;
  /** MiniMax-H3 only: reference video and audio clips, uploaded to MiniMax at admission. */
  clips?: ReferenceClip[];
}

/** A validated request with its images, as returned by `validateRequest`. */
export interface ValidatedRequest {
  request: VideoRequest;
  images: Partial<Record<ImageSlot, CheckedImage>>;
  /** MiniMax-H3 reference clips, checked, not yet uploaded. */
  clips?: CheckedClip[];
}
