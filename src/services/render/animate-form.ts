import type { APIModalInteractionResponseCallbackData, APISelectMenuOption } from 'discord.js';
import { type MessageKey, translate } from '../i18n/index.js';
import type { AskedOptions } from '../jobs/model-options.js';
import { formatModelChoice } from '../models/describe-model.js';
import { isWithdrawn } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import { UserFacingError } from '../user-facing-error.js';

/** The modal's custom id prefix; the form's id follows. */
export const ANIMATE_FORM = 'animate-form';
/** The custom ids of the form's fields. */
export const FORM_FIELDS = {
  prompt: 'prompt',
  model: 'model',
  duration: 'duration',
  shape: 'shape',
  extras: 'extras',
} as const;

const LABEL = 18;
const TEXT_INPUT = 4;
const STRING_SELECT = 3;
const SHORT = 1;
const PARAGRAPH = 2;
/** Discord's caps: a modal text input's value, a select option's label and description. */
const MODAL_TEXT_MAX = 4000;
const OPTION_TEXT_MAX = 100;

const EXTRAS = {
  'sound:on': 'form.extras.soundOn',
  'sound:off': 'form.extras.soundOff',
  'camera:fixed': 'form.extras.cameraFixed',
  'camera:free': 'form.extras.cameraFree',
  loop: 'form.extras.loop',
} as const satisfies Record<string, MessageKey>;
type Extra = keyof typeof EXTRAS;

const clip = (text: string) =>
  text.length <= OPTION_TEXT_MAX ? text : `${text.slice(0, OPTION_TEXT_MAX - 1)}…`;

/**
 * The form Animate on a message opens: the prompt and the main options of `/animate`, each
 * in a label (text inputs and select menus, as Discord's modals hold them since 2025). The model
 * menu lists the models Kie still offers; nothing chosen means what `/animate` would use.
 */
export function animateForm(
  models: ModelRegistry,
  locale: string,
  formId: string,
): APIModalInteractionResponseCallbackData {
  const t = (key: MessageKey) => translate(locale, key);
  const select = (customId: string, options: APISelectMenuOption[], placeholder: string, max = 1) => ({
    type: STRING_SELECT,
    custom_id: customId,
    placeholder,
    required: false,
    min_values: 0,
    max_values: max,
    options,
  });
  const modelOptions = models
    .list()
    .filter((entry) => !isWithdrawn(entry))
    .map((entry) => ({
      label: entry.label,
      value: entry.id,
      description: clip(formatModelChoice(entry, locale)),
    }));
  return {
    custom_id: `${ANIMATE_FORM}:${formId}`,
    title: t('form.title'),
    components: [
      {
        type: LABEL,
        label: t('form.prompt.label'),
        description: t('form.prompt.description'),
        component: {
          type: TEXT_INPUT,
          custom_id: FORM_FIELDS.prompt,
          style: PARAGRAPH,
          required: true,
          max_length: MODAL_TEXT_MAX,
        },
      },
      {
        type: LABEL,
        label: t('form.model.label'),
        component: select(FORM_FIELDS.model, modelOptions, t('form.model.placeholder')),
      },
      {
        type: LABEL,
        label: t('form.duration.label'),
        component: {
          type: TEXT_INPUT,
          custom_id: FORM_FIELDS.duration,
          style: SHORT,
          required: false,
          max_length: 3,
          placeholder: clip(t('form.duration.placeholder')),
        },
      },
      {
        type: LABEL,
        label: t('form.shape.label'),
        component: select(
          FORM_FIELDS.shape,
          [
            { label: t('status.aspect.portrait'), value: 'portrait' },
            { label: t('status.aspect.landscape'), value: 'landscape' },
          ],
          t('form.shape.placeholder'),
        ),
      },
      {
        type: LABEL,
        label: t('form.extras.label'),
        description: t('form.extras.description'),
        component: select(
          FORM_FIELDS.extras,
          (Object.keys(EXTRAS) as Extra[]).map((value) => ({ label: t(EXTRAS[value]), value })),
          t('form.extras.placeholder'),
          3,
        ),
      },
    ],
  };
}

/** What the member filled in, as the fields came back (forged values are refused here). */
export interface FormAnswers {
  prompt: string;
  model: readonly string[];
  duration: string;
  shape: readonly string[];
  extras: readonly string[];
}

/** The `/animate` options a filled-in form stands for; refuses a malformed answer by name. */
export function readAnimateForm(
  models: ModelRegistry,
  answers: FormAnswers,
): Omit<AskedOptions, 'modelOption'> & { model: string | null; loop: boolean; prompt: string } {
  const [model = null, ...moreModels] = answers.model;
  const [shape = null, ...moreShapes] = answers.shape;
  const extras = new Set(answers.extras);
  const known = (value: string): value is Extra => Object.hasOwn(EXTRAS, value);
  if (
    moreModels.length > 0 ||
    moreShapes.length > 0 ||
    (model !== null && !models.get(model)) ||
    (shape !== null && shape !== 'portrait' && shape !== 'landscape') ||
    ![...extras].every(known)
  ) {
    throw new UserFacingError('error.badOptions');
  }
  if (
    (extras.has('sound:on') && extras.has('sound:off')) ||
    (extras.has('camera:fixed') && extras.has('camera:free'))
  )
    throw new UserFacingError('form.conflict');
  const duration = answers.duration.trim();
  if (duration !== '' && !/^\d{1,3}$/.test(duration))
    throw new UserFacingError('form.badDuration', { value: duration });
  const pick = <T>(on: Extra, off: Extra, yes: T, no: T) =>
    extras.has(on) ? yes : extras.has(off) ? no : null;
  return {
    prompt: answers.prompt,
    model,
    aspectRatio: shape,
    durationSeconds: duration === '' ? null : Number(duration),
    removeWatermark: null,
    sound: pick('sound:on', 'sound:off', true, false),
    camera: pick('camera:fixed', 'camera:free', 'fixed' as const, 'free' as const),
    loop: extras.has('loop'),
  };
}
