import type { ModelsMessageKey } from '../i18n/sections/models.js';
import type { JobOptions } from '../jobs/job-record.js';

/** What a member asked for, after defaults; a model entry turns it into Kie's `input`. */
export interface InputRequest {
  imageUrl: string;
  options: JobOptions;
}

/** A value of `JobOptions.extra`. */
export type ExtraValue = JobOptions['extra'][string];

/**
 * A model-specific choice, stored in `JobOptions.extra[name]` and declared on the entry so a UI
 * can list it (Sora 2 Pro's `size`, a resolution, Kling's `sound`…). A job without the key uses
 * `default`, so records written before the option existed still build.
 */
export interface ExtraOption {
  /** Key in `JobOptions.extra`; the Kie `input` field it sets, where there is one. */
  name: string;
  /** Catalogue key naming the option for members. */
  labelKey: ModelsMessageKey;
  /** Allowed values, in menu order; their type is the type Kie's schema wants. */
  choices: readonly ExtraValue[];
  default: ExtraValue;
  /**
   * Choices that only work with some durations, by `String(choice)`: e.g. Hailuo's `1080P`
   * only at 6 s. Choices not listed work with every duration.
   */
  durationsByChoice?: Readonly<Record<string, readonly number[]>>;
}

/**
 * One image-to-video model behind Kie's createTask / recordInfo contract. Each entry knows its
 * limits (checked before any credits are spent) and builds `input` with every field explicit,
 * since some models do not apply their documented defaults server-side.
 */
export interface ModelEntry {
  id: string;
  /** Short human name for menus. */
  label: string;
  /**
   * Models withdrawn together share a family (e.g. `sora-2`), so alternatives to an unavailable
   * model prefer other families. Default: the id.
   */
  family?: string;
  image: {
    /** The `input` field that carries the image URL. */
    field: 'image_urls' | 'image_url' | 'input_urls';
    contentTypes: readonly string[];
    maxBytes: number;
    /** Smallest width and height in pixels, where documented (Wan 2.6: 256). */
    minSidePixels?: number;
  };
  /** `minLength` where documented (Wan 2.6: 2, Seedance: 3); the bot itself refuses an empty prompt. */
  prompt: { maxLength: number; minLength?: number };
  durationsSeconds: readonly number[];
  defaultDurationSeconds: number;
  /** 'choice': the member picks portrait or landscape; 'image': the model follows the image's shape. */
  aspect: 'choice' | 'image';
  /** With `aspect: 'choice'`, the value Kie wants for each shape. Default: the shape's own name. */
  aspectRatios?: Readonly<Record<JobOptions['aspectRatio'], string>>;
  supportsRemoveWatermark: boolean;
  /** Model-specific choices, in menu order. Default: none. */
  extraOptions?: readonly ExtraOption[];
  /** Documented price in credits, for estimates only; undefined when no reliable figure exists. */
  estimateCredits(options: JobOptions): number | undefined;
  buildInput(request: InputRequest): Record<string, unknown>;
}

export const TEN_MEGABYTES = 10 * 1024 * 1024;
export const JPEG_PNG_WEBP: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];
