import type { ModelAvailability } from '../models/availability.js';
import { type EndFrame, endFrameProblem } from '../models/end-frame.js';
import type { ExtraValue, ModelEntry } from '../models/model.js';
import { type NamedChoices, withNamedChoices } from '../models/named-options.js';
import { chooseDuration, findUnsupportedOption } from '../models/options.js';
import type { GuildSettings } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';
import type { JobOptions } from './job-record.js';

export interface AskedOptions extends NamedChoices {
  aspectRatio: 'portrait' | 'landscape' | null;
  durationSeconds: number | null;
  removeWatermark: boolean | null;
  /** One model-specific option as the menu sent it, e.g. `resolution=1080p`. */
  modelOption: string | null;
  /** A last frame (`end_image`) or a loop; only models that take a last frame can. */
  endFrame?: EndFrame | null;
}

/**
 * What the model will be asked for. A choice the member made that the model cannot honour is
 * refused with what the model supports (a named option or a last frame: with the models of
 * `catalogue` that have it); a server default is mapped to the nearest thing it offers.
 */
export function resolveModelOptions(
  model: ModelEntry,
  asked: AskedOptions,
  defaults: GuildSettings['defaults'],
  image: { width: number; height: number },
  catalogue: readonly ModelEntry[] = [],
): Omit<JobOptions, 'prompt'> {
  const named = withNamedChoices(model, asked, parseModelOption(model, asked.modelOption), catalogue);
  if (!named.ok) throw new UserFacingError(named.problem.key, named.problem.params);
  const { extra } = named;
  const lastFrame = endFrameProblem(model, asked.endFrame, catalogue);
  if (lastFrame) throw new UserFacingError(lastFrame.key, lastFrame.params);
  const shapeOfImage = image.height > image.width ? 'portrait' : 'landscape';
  if (model.aspect === 'image' && asked.aspectRatio !== null) {
    throw new UserFacingError('models.aspect.notChoosable', { model: model.label });
  }
  const chosenAspect = model.aspect === 'image' ? null : (asked.aspectRatio ?? defaults.aspectRatio);
  if (!model.supportsRemoveWatermark && asked.removeWatermark === true) {
    throw new UserFacingError('models.option.noWatermark', { model: model.label });
  }
  const duration = chooseDuration(model, asked.durationSeconds, defaults.durationSeconds, extra);
  if (!duration.ok) throw new UserFacingError(duration.problem.key, duration.problem.params);
  const problem = findUnsupportedOption(model, { durationSeconds: duration.seconds, extra });
  if (problem) throw new UserFacingError(problem.key, problem.params);
  return {
    aspectRatio: chosenAspect ?? shapeOfImage,
    aspectFromImage: chosenAspect === null,
    durationSeconds: duration.seconds,
    removeWatermark:
      model.supportsRemoveWatermark && (asked.removeWatermark ?? defaults.removeWatermark ?? true),
    extra,
    ...(asked.endFrame ? { endFrame: asked.endFrame } : {}),
  };
}

const ASKED_NOTHING: AskedOptions = {
  aspectRatio: null,
  durationSeconds: null,
  removeWatermark: null,
  modelOption: null,
};

/**
 * Options for a model nobody asked for (an offered model, another model tried on a video): what
 * was asked (`asked`, the member's or the server's defaults) is mapped to the nearest thing the
 * model offers, as for a server default, never refused. Its own extras keep their defaults.
 */
export function mapOptionsTo(
  model: ModelEntry,
  asked: GuildSettings['defaults'],
  shape: { width: number; height: number },
  /** What is carried over as asked for (sound, camera, a last frame), checked against `catalogue`. */
  carried: Partial<AskedOptions> = {},
  catalogue: readonly ModelEntry[] = [],
): Omit<JobOptions, 'prompt'> {
  return resolveModelOptions(model, { ...ASKED_NOTHING, ...carried }, asked, shape, catalogue);
}

/** What a finished job asked for, as defaults for another model, and its shape. */
export function askedBy(options: JobOptions): {
  asked: GuildSettings['defaults'];
  shape: { width: number; height: number };
} {
  return {
    asked: {
      aspectRatio: options.aspectFromImage ? null : options.aspectRatio,
      durationSeconds: options.durationSeconds,
      removeWatermark: options.removeWatermark,
    },
    shape: options.aspectRatio === 'portrait' ? { width: 9, height: 16 } : { width: 16, height: 9 },
  };
}

function parseModelOption(model: ModelEntry, raw: string | null): JobOptions['extra'] {
  if (raw === null || raw.trim() === '') return {};
  const [name, value] = raw.split('=', 2).map((part) => part.trim());
  if (!name || value === undefined) throw new UserFacingError('models.option.badFormat');
  const option = model.extraOptions?.find((candidate) => candidate.name === name);
  const choice: ExtraValue | undefined = option?.choices.find((candidate) => String(candidate) === value);
  // Unknown names and values go through as strings, so findUnsupportedOption names what is offered.
  return { [name]: choice ?? value };
}

/** The member is told the model cannot run for this server's key now, with models that can. */
export async function unavailableError(
  availability: ModelAvailability,
  model: ModelEntry,
  apiKey: string,
): Promise<UserFacingError> {
  const alternatives = await availability.alternatives(model.id, apiKey, 3);
  return new UserFacingError('models.unavailable.withAlternatives', {
    model: model.label,
    models: alternatives.map((entry) => `\`${entry.label}\``).join(', ') || '—',
  });
}
