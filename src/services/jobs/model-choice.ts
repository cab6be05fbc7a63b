import type { ModelAvailability } from '../models/availability.js';
import type { ModelEntry } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GuildSettings } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';
import type { JobOptions } from './job-record.js';
import { type AskedOptions, resolveModelOptions, unavailableError } from './model-options.js';

/**
 * Which models a request may use, in order. A model someone chose (the member in the command,
 * or the server's admin) is the only one: it is never switched silently. With no choice, the
 * bot's default list is tried in order and the first model Kie accepts makes the video.
 */
export interface ModelChoice {
  chosenBy: 'member' | 'server' | 'default';
  models: ModelEntry[];
}

export function chooseModels(
  registry: ModelRegistry,
  defaults: readonly string[],
  memberChoice: string | null,
  settings: GuildSettings,
): ModelChoice {
  const chosen = memberChoice ?? settings.model;
  if (chosen !== null) {
    const model = registry.get(chosen);
    if (!model) throw new UserFacingError('error.unknownModel', { model: chosen });
    return { chosenBy: memberChoice !== null ? 'member' : 'server', models: [model] };
  }
  const models = defaults.flatMap((id) => registry.get(id) ?? []);
  if (models.length === 0) throw new UserFacingError('error.unknownModel', { model: defaults.join(', ') });
  return { chosenBy: 'default', models };
}

/** A model that can take the request, with the options it will be asked for. */
export interface Candidate {
  model: ModelEntry;
  options: JobOptions;
  /** The model tried before this one and why it was passed over (the reply names it). */
  fallbackFrom: { model: string; reason: string } | null;
}

/**
 * The models of a choice that Kie can run for this key, each with the request's options
 * resolved. A chosen model that is unavailable is refused with alternatives; from the default
 * list, models that are unavailable, or cannot honour what the member asked for, are skipped
 * (the first problem is told when none is left).
 */
export async function candidatesFor(
  choice: ModelChoice,
  availability: ModelAvailability,
  apiKey: string,
  resolve: (model: ModelEntry) => JobOptions,
): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  let firstProblem: UserFacingError | undefined;
  let passedOver: Candidate['fallbackFrom'] = null;
  for (const model of choice.models) {
    const mark = await availability.unavailableMark(model.id, apiKey);
    if (mark) {
      if (choice.chosenBy !== 'default') throw await unavailableError(availability, model, apiKey);
      firstProblem ??= await unavailableError(availability, model, apiKey);
      passedOver ??= { model: model.id, reason: mark.reason ?? 'unavailable' };
      continue;
    }
    try {
      candidates.push({
        model,
        options: resolve(model),
        fallbackFrom: candidates.length ? null : passedOver,
      });
    } catch (error) {
      if (!(error instanceof UserFacingError) || choice.chosenBy !== 'default') throw error;
      firstProblem ??= error;
    }
  }
  if (candidates.length === 0)
    throw firstProblem ?? new UserFacingError('error.unknownModel', { model: '—' });
  return candidates;
}

/** Options for `model` from what the member asked and the server's defaults; see resolveModelOptions. */
export function optionsResolver(
  asked: AskedOptions,
  prompt: (model: ModelEntry) => string,
  defaults: GuildSettings['defaults'],
  image: { width: number; height: number },
  catalogue: readonly ModelEntry[] = [],
): (model: ModelEntry) => JobOptions {
  return (model) => ({
    prompt: prompt(model),
    ...resolveModelOptions(model, asked, defaults, image, catalogue),
  });
}
