/** Types of the request model (SPEC §1.1). Validation lives in request.ts. */

import type { Variation } from './variation.js';

export type Mode = 't2v' | 'i2v' | 'fl2v' | 's2v';
/** 480P and 2K are MiniMax-H3 resolutions (H3-Max: 480P, 768P; H3: 768P, 2K). */
export type Resolution = '480P' | '512P' | '720P' | '768P' | '1080P' | '2K';
/** Whole seconds: 6 or 10 on V1 models, 4–15 on MiniMax-H3 (the rules live in models.ts, h3-request.ts). */
export type Duration = number;
export type ImageSlot = 'first' | 'last' | 'subject';
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** MiniMax-H3 (V2 API) aspect ratios; `adaptive` follows the input frames. */
export const RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'] as const;
export type Ratio = (typeof RATIOS)[number];

/**
 * How an attached file is used on MiniMax-H3. Unset: the documented rule of core/h3-media.ts
 * decides (e.g. one lone image = first frame, clips and audio = references).
 */
export type MediaRole = 'first_frame' | 'last_frame' | 'reference';

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
}

/** A validated request with its images, as returned by `validateRequest`. */
export interface ValidatedRequest {
  request: VideoRequest;
  images: Partial<Record<ImageSlot, CheckedImage>>;
}
