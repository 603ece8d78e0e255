/** Types of the request model (SPEC §1.1). Validation lives in request.ts. */

import type { Variation } from './variation.js';

export type Mode = 't2v' | 'i2v' | 'fl2v' | 's2v';
export type Resolution = '512P' | '720P' | '768P' | '1080P';
export type Duration = 6 | 10;
export type ImageSlot = 'first' | 'last' | 'subject';
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

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
  /** Set on a Variations job: how it differs from the job it varies (see core/variation.ts). */
  variation?: Variation;
}

/** A validated request with its images, as returned by `validateRequest`. */
export interface ValidatedRequest {
  request: VideoRequest;
  images: Partial<Record<ImageSlot, CheckedImage>>;
}
