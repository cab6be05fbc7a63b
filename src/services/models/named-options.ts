import { type ExtraOption, isWithdrawn, type ModelEntry, type NamedOption } from './model.js';
import type { JobOptions } from './model-input.js';
import type { OptionProblem } from './options.js';

/** How a member may set the camera: `fixed` locks it (Seedance 1.5's `fixed_lens: true`). */
export const CAMERA_CHOICES = ['fixed', 'free'] as const;
export type CameraChoice = (typeof CAMERA_CHOICES)[number];

/** What a member set with the named `/animate` options; null or absent: left to the model. */
export interface NamedChoices {
  sound?: boolean | null;
  camera?: CameraChoice | null;
}

type Extra = JobOptions['extra'];

/** The extra a named option sets on this model, if the model has one. */
export function namedExtra(entry: ModelEntry, named: NamedOption): ExtraOption | undefined {
  return entry.extraOptions?.find((option) => option.named === named);
}

/** The extra value of a member's choice: sound on, or a fixed camera, is `true`. */
function extraValueOf(named: NamedOption, choice: boolean | CameraChoice): boolean {
  return named === 'camera' ? choice === 'fixed' : choice === true;
}

/** A member's choice as the model's own extra says it: the inverse of `extraValueOf`. */
function choiceOf(named: NamedOption, value: unknown): boolean | CameraChoice | undefined {
  if (typeof value !== 'boolean') return undefined;
  return named === 'camera' ? (value ? 'fixed' : 'free') : value;
}

/**
 * Labels of the models a member could pick instead (not withdrawn), for a message like "models
 * that can: …"; an em dash when none can.
 */
export function labelsOf(catalogue: readonly ModelEntry[], can: (entry: ModelEntry) => boolean): string {
  return (
    catalogue
      .filter((entry) => !isWithdrawn(entry) && can(entry))
      .map((entry) => entry.label)
      .join(', ') || '—'
  );
}

/**
 * The job's extras with the member's named choices set in the model's own fields. A model
 * without the option is a problem naming it and the models that have it; so is a `model_option`
 * that already set the same field otherwise.
 */
export function withNamedChoices(
  entry: ModelEntry,
  choices: NamedChoices,
  extra: Extra,
  catalogue: readonly ModelEntry[],
): { ok: true; extra: Extra } | { ok: false; problem: OptionProblem } {
  const filled: Extra = { ...extra };
  for (const named of ['sound', 'camera'] as const) {
    const choice = choices[named];
    if (choice === null || choice === undefined) continue;
    const option = namedExtra(entry, named);
    if (!option) {
      return {
        ok: false,
        problem: {
          key: 'models.named.unsupported',
          params: {
            model: entry.label,
            option: named,
            models: labelsOf(catalogue, (other) => namedExtra(other, named) !== undefined),
          },
        },
      };
    }
    const value = extraValueOf(named, choice);
    if (filled[option.name] !== undefined && filled[option.name] !== value) {
      return {
        ok: false,
        problem: { key: 'models.named.conflict', params: { model: entry.label, option: named } },
      };
    }
    filled[option.name] = value;
  }
  return { ok: true, extra: filled };
}

/**
 * The named choices a job's extras carry (set or not by the member), so another model can be
 * asked for the same: Kling's `sound: true` is `{ sound: true }` for Seedance's `generate_audio`.
 */
export function namedChoicesOf(entry: ModelEntry, extra: Extra): NamedChoices {
  const choices: NamedChoices = {};
  const sound = namedExtra(entry, 'sound');
  const camera = namedExtra(entry, 'camera');
  const soundChoice = sound && choiceOf('sound', extra[sound.name]);
  const cameraChoice = camera && choiceOf('camera', extra[camera.name]);
  if (typeof soundChoice === 'boolean') choices.sound = soundChoice;
  if (cameraChoice === 'fixed' || cameraChoice === 'free') choices.camera = cameraChoice;
  return choices;
}

/** The named choices this model can honour; the rest are dropped, as a server default would be. */
export function namedChoicesFor(entry: ModelEntry, choices: NamedChoices): NamedChoices {
  return {
    sound: namedExtra(entry, 'sound') ? (choices.sound ?? null) : null,
    camera: namedExtra(entry, 'camera') ? (choices.camera ?? null) : null,
  };
}
