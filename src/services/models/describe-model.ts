import { translate } from '../i18n/index.js';
import type { ExtraOption, ExtraValue, ModelEntry } from './model.js';
import type { JobOptions } from './model-input.js';
import { allowedDurations, formatDurations, nearestDuration, withDefaultExtras } from './options.js';

/** What a menu shows of a model. */
export interface ModelDescription {
  id: string;
  label: string;
  durationsSeconds: readonly number[];
  minSeconds: number;
  maxSeconds: number;
  aspect: ModelEntry['aspect'];
  extraOptions: readonly ExtraOption[];
  /** Cheapest and dearest documented job over every duration and extra choice; undefined when unknown. */
  credits: { min: number; max: number } | undefined;
}

type Extra = JobOptions['extra'];

function sampleOptions(durationSeconds: number, extra: Extra): JobOptions {
  return {
    prompt: 'sample',
    aspectRatio: 'landscape',
    aspectFromImage: false,
    durationSeconds,
    removeWatermark: false,
    extra,
  };
}

/** Every combination of the entry's extra choices. */
function extraCombinations(options: readonly ExtraOption[]): Extra[] {
  return options.reduce<Extra[]>(
    (combos, option) =>
      combos.flatMap((combo) => option.choices.map((value) => ({ ...combo, [option.name]: value }))),
    [{}],
  );
}

export function describeModel(entry: ModelEntry): ModelDescription {
  const extraOptions = entry.extraOptions ?? [];
  const prices: number[] = [];
  for (const extra of extraCombinations(extraOptions)) {
    for (const seconds of allowedDurations(entry, extra)) {
      const credits = entry.estimateCredits(sampleOptions(seconds, extra));
      if (credits !== undefined) prices.push(credits);
    }
  }
  return {
    id: entry.id,
    label: entry.label,
    durationsSeconds: entry.durationsSeconds,
    minSeconds: Math.min(...entry.durationsSeconds),
    maxSeconds: Math.max(...entry.durationsSeconds),
    aspect: entry.aspect,
    extraOptions,
    credits: prices.length === 0 ? undefined : { min: Math.min(...prices), max: Math.max(...prices) },
  };
}

/** Credits of a job with default extras, at the allowed duration nearest `durationSeconds`. */
export function typicalCredits(
  entry: ModelEntry,
  durationSeconds = entry.defaultDurationSeconds,
): number | undefined {
  const extra = withDefaultExtras(entry);
  return entry.estimateCredits(sampleOptions(nearestDuration(entry, durationSeconds, extra), extra));
}

const DISCORD_CHOICE_NAME_MAX = 100;

/** A choice of an extra option as members read it: on/off, a catalogue label, or the value itself. */
export function describeChoice(option: ExtraOption, choice: ExtraValue, locale: string): string {
  if (typeof choice === 'boolean') return translate(locale, choice ? 'models.value.on' : 'models.value.off');
  const labelKey = option.choiceLabelKeys?.[String(choice)];
  return labelKey ? translate(locale, labelKey) : String(choice);
}

/** One line for a choice or autocomplete menu, e.g. "Wan 2.6 · 5/10/15 s · ~70–315 credits". */
export function formatModelChoice(entry: ModelEntry, locale: string): string {
  const { credits, durationsSeconds } = describeModel(entry);
  const price =
    credits === undefined
      ? translate(locale, 'models.choice.creditsUnknown')
      : Math.round(credits.min) === Math.round(credits.max)
        ? translate(locale, 'models.choice.creditsFlat', { credits: Math.round(credits.min) })
        : translate(locale, 'models.choice.credits', {
            min: Math.round(credits.min),
            max: Math.round(credits.max),
          });
  const line = translate(locale, 'models.choice', {
    label: entry.label,
    durations: formatDurations(durationsSeconds),
    credits: price,
  });
  return line.length <= DISCORD_CHOICE_NAME_MAX ? line : `${line.slice(0, DISCORD_CHOICE_NAME_MAX - 1)}…`;
}
