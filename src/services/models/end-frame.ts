import type { ModelEntry } from './model.js';
import type { JobOptions } from './model-input.js';
import { labelsOf } from './named-options.js';
import type { OptionProblem } from './options.js';

/** What a job ends on: a second image of the member's, or its first image again (a loop). */
export type EndFrame = NonNullable<JobOptions['endFrame']>;

/** What Kie's `input` is built from: the job's first image, its last frame (if any) and options. */
export interface TaskImages {
  imageUrl: string;
  /** The second image on Kie, for `endFrame: 'image'`. */
  endImage?: { url: string } | null;
  options: JobOptions;
}

/**
 * A problem naming the model and the option asked (`end_image` or `loop`), with the models that
 * take a last frame, when this one does not; undefined when it does or nothing was asked.
 */
export function endFrameProblem(
  entry: ModelEntry,
  endFrame: EndFrame | null | undefined,
  catalogue: readonly ModelEntry[],
): OptionProblem | undefined {
  if (!endFrame || entry.endFrame) return undefined;
  return {
    key: 'models.endFrame.unsupported',
    params: {
      model: entry.label,
      option: endFrame === 'loop' ? 'loop' : 'end_image',
      models: labelsOf(catalogue, (other) => other.endFrame !== undefined),
    },
  };
}

/** The URL of the job's last frame: its end image, its first image for a loop, or null. */
export function lastFrameUrl(job: TaskImages): string | null {
  if (job.options.endFrame === 'loop') return job.imageUrl;
  if (job.options.endFrame !== 'image') return null;
  if (!job.endImage) throw new Error('a job that ends on an image has no end image');
  return job.endImage.url;
}

/**
 * Kie's `input` for a job: the entry's own, plus the last frame where the registry says the
 * model takes it (kie-models-2026-09.md §5): its own field (`last_frame_url`…), or the second
 * item of the array that carries the first frame, with what must go along (Veo's generation type).
 * Asking a model without a last frame for one is a bug of the caller (the request checks refuse it).
 */
export function buildTaskInput(entry: ModelEntry, job: TaskImages): Record<string, unknown> {
  const input = entry.buildInput({ imageUrl: job.imageUrl, options: job.options });
  const last = lastFrameUrl(job);
  if (last === null) return input;
  const support = entry.endFrame;
  if (!support) throw new Error(`${entry.id} takes no last frame`);
  for (const [field, value] of Object.entries(support.notWith ?? {})) {
    if (input[field] === value) throw new Error(`${entry.id}: a last frame cannot go with ${field}=${value}`);
  }
  if (support.via === 'field') return { ...input, [support.field]: last, ...support.alsoSend };
  const first = input[support.field];
  if (!Array.isArray(first) || first.length !== 1) {
    throw new Error(`${entry.id}: ${support.field} does not carry exactly the first frame`);
  }
  return { ...input, [support.field]: [...first, last], ...support.alsoSend };
}
