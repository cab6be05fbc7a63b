import type { ModelsMessageKey } from '../i18n/sections/models.js';
import type { JobOptions } from '../jobs/job-record.js';
import type { ExtraOption, ExtraValue, ModelEntry } from './model.js';

/** Why a model cannot do what was asked: a catalogue key and its parameters, ready for a UserFacingError. */
export interface OptionProblem {
  key: ModelsMessageKey;
  params: Record<string, string | number>;
}

/** An extra option whose choices share one type, so `readExtra` returns that type. */
export interface TypedExtraOption<V extends ExtraValue> extends ExtraOption {
  choices: readonly V[];
  default: V;
}

type Extra = JobOptions['extra'];

/**
 * The value of an extra option for a job: the member's (or server's) choice, else the option's
 * default. A value outside the choices is a bug of the caller (`findUnsupportedOption` runs first).
 */
export function readExtra<V extends ExtraValue>(option: TypedExtraOption<V>, extra: Extra): V {
  const match = tryReadExtra(option, extra);
  if (match === undefined) {
    throw new Error(`extra option ${option.name}: ${String(extra[option.name])} is not a choice`);
  }
  return match;
}

/** Like `readExtra`, but undefined for a value outside the choices: for estimates, which must not throw. */
export function tryReadExtra<V extends ExtraValue>(option: TypedExtraOption<V>, extra: Extra): V | undefined {
  const value = extra[option.name];
  if (value === undefined) return option.default;
  return option.choices.find((choice) => choice === value);
}

/** Every extra option with its value for a job, defaults filled in. */
export function withDefaultExtras(entry: ModelEntry, extra: Extra = {}): Extra {
  const filled: Extra = { ...extra };
  for (const option of entry.extraOptions ?? []) filled[option.name] ??= option.default;
  return filled;
}

/** The durations the model offers with these extra choices (Hailuo's 1080P: 6 s only). */
export function allowedDurations(entry: ModelEntry, extra: Extra = {}): number[] {
  let allowed = [...entry.durationsSeconds];
  for (const option of entry.extraOptions ?? []) {
    const only = option.durationsByChoice?.[String(extra[option.name] ?? option.default)];
    if (only) allowed = allowed.filter((seconds) => only.includes(seconds));
  }
  return allowed;
}

/**
 * The allowed duration closest to `seconds` (with these extra choices); on a tie the shorter,
 * which costs less. Falls back to the model's default when no duration fits the extras.
 */
export function nearestDuration(entry: ModelEntry, seconds: number, extra: Extra = {}): number {
  let best: number | undefined;
  for (const candidate of allowedDurations(entry, extra)) {
    if (best === undefined) best = candidate;
    const gap = Math.abs(candidate - seconds) - Math.abs(best - seconds);
    if (gap < 0 || (gap === 0 && candidate < best)) best = candidate;
  }
  return best ?? entry.defaultDurationSeconds;
}

/**
 * The job's duration. One the member asked for must be offered as is (else a problem naming
 * the allowed values); a server default or the model's default maps to the nearest offered one.
 */
export function chooseDuration(
  entry: ModelEntry,
  asked: number | null | undefined,
  fallback: number | null | undefined,
  extra: Extra = {},
): { ok: true; seconds: number; adjustedFrom?: number } | { ok: false; problem: OptionProblem } {
  if (asked !== null && asked !== undefined) {
    const problem = durationProblem(entry, asked, extra);
    return problem ? { ok: false, problem } : { ok: true, seconds: asked };
  }
  const wanted = fallback ?? entry.defaultDurationSeconds;
  const seconds = nearestDuration(entry, wanted, extra);
  return seconds === wanted ? { ok: true, seconds } : { ok: true, seconds, adjustedFrom: wanted };
}

/** The value Kie wants for this shape, or undefined when the model follows the image's shape. */
export function aspectValue(entry: ModelEntry, aspect: JobOptions['aspectRatio']): string | undefined {
  if (entry.aspect === 'image') return undefined;
  return entry.aspectRatios?.[aspect] ?? aspect;
}

/** The first thing in these options the model cannot do, or undefined when it can do all of it. */
export function findUnsupportedOption(
  entry: ModelEntry,
  options: Pick<JobOptions, 'durationSeconds' | 'extra'>,
): OptionProblem | undefined {
  const declared = entry.extraOptions ?? [];
  for (const [name, value] of Object.entries(options.extra)) {
    const option = declared.find((candidate) => candidate.name === name);
    if (!option) {
      return declared.length === 0
        ? { key: 'models.option.none', params: { model: entry.label } }
        : {
            key: 'models.option.unknown',
            params: { model: entry.label, option: name, supported: declared.map((o) => o.name).join(', ') },
          };
    }
    if (!option.choices.includes(value)) {
      return {
        key: 'models.option.unsupported',
        params: {
          model: entry.label,
          option: name,
          value: String(value),
          allowed: option.choices.join(' / '),
        },
      };
    }
  }
  return durationProblem(entry, options.durationSeconds, options.extra);
}

function durationProblem(entry: ModelEntry, seconds: number, extra: Extra): OptionProblem | undefined {
  if (!entry.durationsSeconds.includes(seconds)) {
    return {
      key: 'models.duration.unsupported',
      params: { model: entry.label, allowed: entry.durationsSeconds.join(' / '), asked: seconds },
    };
  }
  for (const option of entry.extraOptions ?? []) {
    const value = extra[option.name] ?? option.default;
    const only = option.durationsByChoice?.[String(value)];
    if (only && !only.includes(seconds)) {
      return {
        key: 'models.option.durationConflict',
        params: { model: entry.label, option: option.name, value: String(value), allowed: only.join(' / ') },
      };
    }
  }
  return undefined;
}

/** Credits rounded to hundredths: per-second prices times seconds must not read 9.600000000000001. */
export function roundCredits(credits: number): number {
  return Math.round(credits * 100) / 100;
}
