import { buildTaskInput, type TaskImages } from './end-frame.js';
import type { ExtendSupport, ModelEntry } from './model.js';
import type { ExtendRequest, JobOptions } from './model-input.js';

/** Why a finished video cannot be extended; undefined when it can. */
export type NotExtendable =
  | { reason: 'no-extend' }
  | { reason: 'limit'; max: number }
  | { reason: 'not-from'; value: string };

/** What a job needs of itself to say whether its video can be extended. */
export interface ExtendableJob {
  options: JobOptions;
  extend: ExtendRequest | null;
}

/**
 * Whether the video of `job`, made with `entry`, can be extended once more: the model has a
 * native extend, the chain is under its limit, and Kie takes this source (Veo: not at 1080p).
 */
export function whyNotExtendable(
  entry: ModelEntry | undefined,
  job: ExtendableJob,
): NotExtendable | undefined {
  const support = entry?.extend;
  if (!entry || !support) return { reason: 'no-extend' };
  if ((job.extend?.chain ?? 0) >= support.maxExtensions)
    return { reason: 'limit', max: support.maxExtensions };
  const refused = support.notFrom;
  if (refused) {
    const value = job.options.extra[refused.option] ?? optionDefault(entry, refused.option);
    if (value !== undefined && refused.values.includes(value))
      return { reason: 'not-from', value: String(value) };
  }
  return undefined;
}

/**
 * Seconds an extension adds where the model has a field for it: the smallest it offers, the
 * cheapest step (Grok: 6 of 6 or 10). Null where Kie does not say (Veo, Runway).
 */
export function addedSecondsOf(support: ExtendSupport): number | null {
  const field = support.addedSecondsField ? support.fields[support.addedSecondsField] : undefined;
  const seconds = (field?.values ?? []).map(Number).filter((value) => Number.isInteger(value) && value > 0);
  return seconds.length > 0 ? Math.min(...seconds) : null;
}

/**
 * The prompt an extension sends: the member's words; left empty, nothing where the model takes
 * an empty prompt (Grok continues the motion), else the video's own prompt.
 */
export function extendPromptFor(support: ExtendSupport, typed: string, sourcePrompt: string): string {
  const prompt = typed.trim();
  if (prompt.length > 0) return prompt;
  return support.fields.prompt?.mayBeEmpty ? '' : sourcePrompt;
}

/**
 * The `input` of an extend call (kie-models-2026-09.md §4), every required field explicit and
 * typed as the doc's example types it: the source task, the prompt, the seconds added, a
 * required field named like one of the model's options (Runway's `quality`) from the source
 * video, any other required field at its documented default. Optional fields are left out
 * (`watermark` writes a text over the video; `seeds` is left to Kie).
 */
export function buildExtendInput(
  entry: ModelEntry,
  source: JobOptions,
  request: ExtendRequest,
): Record<string, unknown> {
  const support = entry.extend;
  if (!support) throw new Error(`${entry.id} has no native extend`);
  const input: Record<string, unknown> = { [support.sourceField]: request.taskId };
  for (const [name, field] of Object.entries(support.fields)) {
    if (!field.required) continue;
    let value: string | number | boolean | undefined;
    if (name === 'prompt') value = request.prompt;
    else if (name === support.addedSecondsField) value = request.addedSeconds ?? undefined;
    else value = source.extra[name] ?? optionDefault(entry, name) ?? field.default;
    if (value === undefined) throw new Error(`${support.model}: no value for the required field ${name}`);
    input[name] = field.type === 'string' ? String(value) : Number(value);
  }
  return input;
}

/** The createTask `model` and `input` of a job: a new video, or the extension of one. */
export function kieTaskOf(
  entry: ModelEntry,
  job: TaskImages & { extend: ExtendRequest | null },
): { model: string; input: Record<string, unknown> } {
  if (job.extend) {
    const support = entry.extend;
    if (!support) throw new Error(`${entry.id} has no native extend`);
    return { model: support.model, input: buildExtendInput(entry, job.options, job.extend) };
  }
  return { model: entry.id, input: buildTaskInput(entry, job) };
}

/** What one job is estimated to cost: a new video, or an extension of the source's. */
export function estimateJob(
  entry: ModelEntry,
  options: JobOptions,
  extend: ExtendRequest | null | undefined,
): number | undefined {
  if (!extend) return entry.estimateCredits(options);
  return entry.extend?.estimateCredits(options, extend.addedSeconds ?? undefined);
}

function optionDefault(entry: ModelEntry, name: string) {
  return entry.extraOptions?.find((option) => option.name === name)?.default;
}
