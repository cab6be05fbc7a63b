import type { ModelsMessageKey } from '../i18n/sections/models.js';
import type { JobOptions } from './model-input.js';

/** What a member asked for, after defaults; a model entry turns it into Kie's `input`. */
export interface InputRequest {
  imageUrl: string;
  options: JobOptions;
}

/** A value of `JobOptions.extra`. */
export type ExtraValue = JobOptions['extra'][string];

/**
 * An `/animate` option of its own (not a `model_option` pair) that sets a model's off/on extra,
 * whatever the Kie field is called: `sound` (on = the video has sound: Kling's `sound`,
 * Seedance's `generate_audio`, Wan's `audio`) and `camera` (`fixed` = on: Seedance 1.5's
 * `fixed_lens`).
 */
export type NamedOption = 'sound' | 'camera';

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
   * Catalogue keys naming choices whose Kie value means little to a member (Kling 3.0's `pro`
   * is 1080p), by `String(choice)`. Booleans read on/off; other choices show as they are.
   */
  choiceLabelKeys?: Readonly<Record<string, ModelsMessageKey>>;
  /**
   * Choices that only work with some durations, by `String(choice)`: e.g. Hailuo's `1080P`
   * only at 6 s. Choices not listed work with every duration.
   */
  durationsByChoice?: Readonly<Record<string, readonly number[]>>;
  /** The `/animate` option that sets this extra, where one does (an off/on extra only). */
  named?: NamedOption;
}

/**
 * Where a last frame goes: a URL string in its own `input` field, or the second item of the
 * image array that carries the first frame.
 */
export type EndFramePlacement =
  | { via: 'field'; field: 'last_frame_url' | 'tail_image_url' | 'end_image_url' }
  | { via: 'second-image'; field: 'image_urls' | 'input_urls' };

/**
 * How a model takes a last frame (kie-models-2026-09.md §5), for the end-frame and loop
 * features. A loop (the same image first and last) is untested on every model (§5: L).
 */
export type EndFrameSupport = EndFramePlacement & {
  /** Input values to send with a last frame (Veo: the first-and-last generation type). */
  alsoSend?: Readonly<Record<string, string | boolean>>;
  /** Input values a last frame cannot go with (Kling 3.0: `multi_shots: true`). */
  notWith?: Readonly<Record<string, string | boolean>>;
  /** Credits each image adds to the job (MiniMax H3: 4), so a last frame costs this more. */
  creditsPerImage?: number;
  /** Whether Kie's price list covers a job with a last frame. */
  priced: boolean;
  /** The doc's confidence: H = a Kie page and its example agree; M = one source, or inferred. */
  confidence: 'H' | 'M';
};

/** One input field of an extend call, as documented. */
export interface ExtendField {
  type: 'string' | 'number' | 'integer';
  required: boolean;
  values?: readonly (string | number)[];
  min?: number;
  max?: number;
  default?: string | number;
  /** A required string Kie takes empty (Grok's `prompt`: the doc's example sends `""`). */
  mayBeEmpty?: boolean;
}

/**
 * A native extend (kie-models-2026-09.md §4): a separate createTask whose `task_id` names a
 * finished Kie task of this model (no outside video). For the extend feature.
 */
export interface ExtendSupport {
  /** The createTask `model` of the extend call. */
  model: string;
  /** The field naming the source task. */
  sourceField: 'task_id';
  /** Every other input field, by name. */
  fields: Readonly<Record<string, ExtendField>>;
  /** The field that sets how many seconds are added, where one does (Grok: `extend_times`). */
  addedSecondsField?: string;
  /** Source jobs Kie refuses to extend, by their extra option (Veo: made at 1080p). */
  notFrom?: { option: string; values: readonly ExtraValue[] };
  /** Credits of one call for this source job; undefined where Kie publishes no price. */
  estimateCredits(source: JobOptions, addedSeconds: number | undefined): number | undefined;
  /**
   * How many times one video may be extended in a row (an extension of an extension counts).
   * Kie documents no limit (§4), so this is the bot's bound on what a chain of presses spends.
   */
  maxExtensions: number;
  confidence: 'H' | 'M' | 'L';
}

/** Kie no longer documents or prices the model (it may still answer for a while). */
export interface WithdrawnStatus {
  state: 'withdrawn';
  /** ISO date from which our docs record it as gone. */
  since: string;
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
  /** Absent: Kie documents and prices the model (kie-models-2026-09.md). */
  status?: WithdrawnStatus;
  image: {
    /** The `input` field that carries the image URL (as a one-item array or a string). */
    field: 'image_urls' | 'image_url' | 'input_urls' | 'first_frame_url';
    contentTypes: readonly string[];
    maxBytes: number;
    /** Smallest width and height in pixels, where documented (Wan 2.6: 256). */
    minSidePixels?: number;
    /** Largest width and height in pixels, where documented (MiniMax H3: 5760). */
    maxSidePixels?: number;
    /** Width ÷ height allowed, where documented (MiniMax H3: 0.4–2.5). */
    aspectRange?: readonly [min: number, max: number];
  };
  /** `minLength` where documented (Wan 2.6: 2, Seedance: 3); the bot itself refuses an empty prompt. */
  prompt: { maxLength: number; minLength?: number };
  durationsSeconds: readonly number[];
  defaultDurationSeconds: number;
  /** 'choice': the member picks portrait or landscape; 'image': the model follows the image's shape. */
  aspect: 'choice' | 'image';
  /** With `aspect: 'choice'`, the value Kie wants for each shape. Default: the shape's own name. */
  aspectRatios?: Readonly<Record<JobOptions['aspectRatio'], string>>;
  /**
   * The value that lets the model follow the image (`adaptive`, `Auto`), sent when nobody chose
   * a shape. Without it the image's own shape goes through `aspectRatios`.
   */
  aspectFollowingImage?: string;
  supportsRemoveWatermark: boolean;
  /** Model-specific choices, in menu order. Default: none. */
  extraOptions?: readonly ExtraOption[];
  /** Absent: the model takes no last frame (kie-models-2026-09.md §5). */
  endFrame?: EndFrameSupport;
  /** Absent: the model has no native extend (kie-models-2026-09.md §4). */
  extend?: ExtendSupport;
  /** Documented price in credits, for estimates only; undefined when no reliable figure exists. */
  estimateCredits(options: JobOptions): number | undefined;
  buildInput(request: InputRequest): Record<string, unknown>;
}

/**
 * Extensions in a row where Kie states no limit (kie-models-2026-09.md §4, L): as many as
 * Midjourney's Extend allows, the bar members compare us with (issue 15).
 */
export const UNSTATED_MAX_EXTENSIONS = 4;

export const TEN_MEGABYTES = 10 * 1024 * 1024;
export const JPEG_PNG_WEBP: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];
/** The ratio most models want for each shape. */
export const RATIO_BY_SHAPE = { portrait: '9:16', landscape: '16:9' } as const;
/**
 * Where Kie states no prompt maximum: the longest prompt `/animate` takes, so Kie alone decides
 * (a refused prompt costs nothing).
 */
export const UNSTATED_PROMPT_MAX = 6_000;

/** Whether our dated docs record the model as withdrawn from Kie. */
export function isWithdrawn(entry: ModelEntry): boolean {
  return entry.status?.state === 'withdrawn';
}
