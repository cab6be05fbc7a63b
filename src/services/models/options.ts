import type { ModelsMessageKey } from '../i18n/sections/models.js';
import type { ExtraOption, ExtraValue, ModelEntry, NamedOption } from './model.js';
import type { JobOptions } from './model-input.js';

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

/** A `resolution`-like option (Runway calls it `quality`, Kling 3.0 `mode`). */
export function resolutionOption<V extends string>(
  choices: readonly V[],
  defaultChoice: V,
  more: Partial<TypedExtraOption<V>> = {},
): TypedExtraOption<V> {
  return {
    name: 'resolution',
    labelKey: 'models.option.resolution',
    choices,
    default: defaultChoice,
    ...more,
  };
}

/**
 * An off/on option such as sound, whose `name` is the Kie field it sets; `named`: the `/animate`
 * option that sets it (sound, camera), instead of a `model_option` pair.
 */
export function onOffOption(
  name: string,
  labelKey: ModelsMessageKey,
  defaultChoice: boolean,
  named?: NamedOption,
): TypedExtraOption<boolean> {
  return { name, labelKey, choices: [false, true], default: defaultChoice, ...(named ? { named } : {}) };
}

/** Every whole second from `first` to `last`, for models that take any length in a range. */
export function wholeSeconds(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

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

/**
 * The aspect value a job sends: the model's follow-the-image value (`adaptive`) when nobody
 * chose a shape and the model has one, else the ratio of the job's shape (the image's own when
 * nobody chose).
 */
export function aspectInput(
  entry: ModelEntry,
  options: Pick<JobOptions, 'aspectRatio' | 'aspectFromImage'>,
): string {
  if (options.aspectFromImage && entry.aspectFollowingImage) return entry.aspectFollowingImage;
  return entry.aspectRatios?.[options.aspectRatio] ?? options.aspectRatio;
}

/**
 * Durations for people: runs of three or more whole seconds read as a range ("4–15"), others
 * are listed ("5/10/15"), so a 2–30 s model fits a menu line.
 */
export function formatDurations(seconds: readonly number[], separator = '/'): string {
  const runs: number[][] = [];
  for (const second of seconds) {
    const run = runs.at(-1);
    if (run && run.at(-1) === second - 1) run.push(second);
    else runs.push([second]);
  }
  return runs
    .flatMap((run) => (run.length >= 3 ? [`${run[0]}–${run.at(-1)}`] : run.map(String)))
    .join(separator);
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
      params: { model: entry.label, allowed: formatDurations(entry.durationsSeconds, ' / '), asked: seconds },
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

/**
 * A per-second price times the job's seconds, for the rate of the chosen extra value (a
 * resolution); undefined when the choice is not one of the option's or has no price.
 */
export function creditsPerSecond<V extends string>(
  option: TypedExtraOption<V>,
  rates: Readonly<Partial<Record<V, number>>>,
  options: JobOptions,
): number | undefined {
  const chosen = tryReadExtra(option, options.extra);
  const rate = chosen === undefined ? undefined : rates[chosen];
  return rate === undefined ? undefined : roundCredits(rate * options.durationSeconds);
}

/** Like `creditsPerSecond`, where sound (an off/on option) has its own rate. */
export function creditsPerSecondWithSound<V extends string>(
  option: TypedExtraOption<V>,
  sound: TypedExtraOption<boolean>,
  rates: Readonly<Record<V, { silent: number; sound: number }>>,
  options: JobOptions,
): number | undefined {
  const chosen = tryReadExtra(option, options.extra);
  const withSound = tryReadExtra(sound, options.extra);
  if (chosen === undefined || withSound === undefined) return undefined;
  const rate = rates[chosen];
  return roundCredits((withSound ? rate.sound : rate.silent) * options.durationSeconds);
}

/** A per-clip price by the chosen extra value and the job's seconds; undefined where there is none. */
export function creditsPerClip<V extends string>(
  option: TypedExtraOption<V>,
  prices: Readonly<Record<V, Readonly<Record<number, number>>>>,
  options: JobOptions,
): number | undefined {
  const chosen = tryReadExtra(option, options.extra);
  return chosen === undefined ? undefined : prices[chosen][options.durationSeconds];
}
