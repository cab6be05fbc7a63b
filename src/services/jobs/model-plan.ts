import type { ModelAvailability } from '../models/availability.js';
import type { EndFrame } from '../models/end-frame.js';
import type { ModelEntry } from '../models/model.js';
import { namedChoicesFor } from '../models/named-options.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GuildSettings } from '../settings/settings-store.js';
import type { JobOptions } from './job-record.js';
import type { Carried } from './last-frame.js';
import type { SubmitSettings } from './launch.js';
import { type Candidate, candidatesFor, type ModelChoice } from './model-choice.js';
import { mapOptionsTo } from './model-options.js';
import { checkPrompt } from './request-checks.js';

/** What planning reads: the registry, the bot's default models and what Kie can run now. */
export interface PlanDeps {
  models: ModelRegistry;
  config: SubmitSettings;
  availability: ModelAvailability;
}

/**
 * The models a request will try, or, when the model someone chose cannot run now, the one the
 * member is offered instead (nothing is spent until they accept).
 */
export type Plan =
  | { kind: 'run'; candidates: Candidate[] }
  | { kind: 'offer'; unavailable: { model: ModelEntry; reason: string }; alternative: ModelEntry };

/** The models to try; a chosen model that cannot run turns into an offer of another, when there is one. */
export async function planModels(
  deps: PlanDeps,
  choice: ModelChoice,
  apiKey: string,
  resolve: (model: ModelEntry) => JobOptions,
  endFrame: EndFrame | null | undefined,
): Promise<Plan> {
  try {
    return {
      kind: 'run',
      candidates: await candidatesFor(choice, deps.availability, apiKey, resolve),
    };
  } catch (error) {
    const unavailable = choice.models[0];
    if (
      choice.chosenBy === 'default' ||
      !unavailable ||
      (await deps.availability.isAvailable(unavailable.id, apiKey))
    )
      throw error;
    const alternative = await alternativeTo(deps, unavailable, apiKey, endFrame);
    if (!alternative) throw error;
    const mark = await deps.availability.unavailableMark(unavailable.id, apiKey);
    return {
      kind: 'offer',
      unavailable: { model: unavailable, reason: mark?.reason ?? 'unavailable' },
      alternative,
    };
  }
}

/**
 * The model to offer when the chosen one cannot run: the bot's own first choice that can (and
 * takes a last frame, when the job ends on one).
 */
export async function alternativeTo(
  deps: PlanDeps,
  model: ModelEntry,
  apiKey: string,
  endFrame: EndFrame | null | undefined,
): Promise<ModelEntry | undefined> {
  const { models, config, availability } = deps;
  const fits = (entry: ModelEntry) => !endFrame || entry.endFrame !== undefined;
  for (const id of config.DEFAULT_MODELS) {
    const entry = models.get(id);
    if (entry && entry.id !== model.id && fits(entry) && (await availability.isAvailable(entry.id, apiKey)))
      return entry;
  }
  const others = await availability.alternatives(model.id, apiKey, endFrame ? models.list().length : 1);
  return others.find(fits);
}

/**
 * An offered model nobody asked for: what was asked (the member's options, or the server's
 * defaults) is mapped to the nearest thing it offers, as for a server default, never refused.
 */
export function offeredCandidate(
  models: ModelRegistry,
  model: ModelEntry,
  prompt: string,
  asked: GuildSettings['defaults'],
  shape: { width: number; height: number },
  carried: Carried,
): Candidate {
  // A last frame is kept (the model was picked for it); sound and camera where the model has them.
  const wanted = { ...namedChoicesFor(model, carried), endFrame: carried.endFrame ?? null };
  const options = {
    prompt: checkPrompt(prompt, model),
    ...mapOptionsTo(model, asked, shape, wanted, models.list()),
  };
  return { model, options, fallbackFrom: null };
}
