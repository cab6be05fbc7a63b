import { type MessageKey, translate } from '../i18n/index.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ModelOffer } from '../jobs/other-models.js';
import { whyNotExtendable } from '../models/extend.js';
import type { ModelRegistry } from '../models/registry.js';

const BUTTON = 2;
const STRING_SELECT = 3;
const ROW = 1;
const PRIMARY = 1;
const SECONDARY = 2;
const DANGER = 4;
/** Discord's caps: a button label, a select option's label and description, options per select. */
const LABEL_MAX = 80;
const OPTION_TEXT_MAX = 100;
const SELECT_OPTIONS_MAX = 25;

export type JobAction = 'again' | 'remix' | 'retry' | 'cancel' | 'redeliver' | 'open' | 'extend' | 'delete';

/** Custom ids carry the job id; the guild comes from the interaction, the rest from the store. */
export const jobButtonId = (action: JobAction, jobId: string) => `${action}:${jobId}`;

/** The "Try another model" menu's custom id: the job whose image, prompt and options it reuses. */
export const tryModelId = (jobId: string) => `try-model:${jobId}`;

export type ButtonsKind = 'running' | 'delivered' | 'failed';
type Component = Record<string, unknown>;

/**
 * The buttons of one job: Cancel while it runs; Remix, Again, Extend (where its model has one),
 * Open video and Delete once delivered; Retry when it failed, or Redeliver and Open video when the video
 * was made but not delivered. `suffix` tells a take's buttons apart ("Remix 2").
 */
export function jobButtons(
  models: ModelRegistry,
  job: JobRecord,
  kind: ButtonsKind,
  options: { resultUrl?: string | undefined; suffix?: string } = {},
): Component[] {
  const label = (key: MessageKey, params?: Record<string, string | number>) =>
    `${translate(job.locale, key, params)}${options.suffix ?? ''}`.slice(0, LABEL_MAX);
  const button = (action: JobAction, style: number, key: MessageKey): Component => ({
    type: BUTTON,
    style,
    label: label(key),
    custom_id: jobButtonId(action, job.id),
  });
  // Not a link to Kie's result URL, which dies after about a day: the bot fetches a fresh one.
  const open = button('open', SECONDARY, 'button.open');
  // A video that was made but not delivered: deliver it again (nothing is paid twice), never Retry.
  if (kind === 'failed' && job.resultUrl !== null)
    return [button('redeliver', PRIMARY, 'button.redeliver'), open];
  if (kind === 'running') return [button('cancel', DANGER, 'button.cancel')];
  if (kind === 'failed') return [button('retry', PRIMARY, 'button.retry')];
  return [
    button('remix', PRIMARY, 'button.remix'),
    button('again', SECONDARY, 'button.again'),
    ...extendButton(models, job, label),
    ...(options.resultUrl ? [open] : []),
    // Its owner's or an admin's, who confirm first (delete-buttons.ts). Not per take: deleting
    // removes the one reply every take shares.
    ...(options.suffix ? [] : [button('delete', DANGER, 'button.delete')]),
  ];
}

/**
 * Extend, for a video whose model has a native extend; past the chain's limit it stays, disabled,
 * saying why (the handler refuses a forged press too). Veo's 1080p clips, which Kie does not
 * extend, get none.
 */
function extendButton(
  models: ModelRegistry,
  job: JobRecord,
  label: (key: MessageKey, params?: Record<string, string | number>) => string,
): Component[] {
  const why = whyNotExtendable(models.get(job.model), job);
  if (why?.reason === 'limit') {
    return [
      {
        type: BUTTON,
        style: SECONDARY,
        label: label('button.extendLimit', { max: why.max }),
        custom_id: jobButtonId('extend', job.id),
        disabled: true,
      },
    ];
  }
  if (why) return [];
  return [
    {
      type: BUTTON,
      style: SECONDARY,
      label: label('button.extend'),
      custom_id: jobButtonId('extend', job.id),
    },
  ];
}

/** One action row holding `components`, or none for none (Discord refuses an empty row). */
export function rowOf(components: Component[]): Component[] {
  return components.length > 0 ? [{ type: ROW, components }] : [];
}

/** The "Try another model" row: the models `offers` lists, each with what this video would cost on it. */
export function tryModelRow(job: JobRecord, offers: readonly ModelOffer[]): Component[] {
  if (offers.length === 0) return [];
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(job.locale, key, params);
  return [
    {
      type: ROW,
      components: [
        {
          type: STRING_SELECT,
          custom_id: tryModelId(job.id),
          placeholder: t('tryModel.placeholder'),
          min_values: 1,
          max_values: 1,
          options: offers.slice(0, SELECT_OPTIONS_MAX).map(({ model, estimate }) => ({
            label: model.label.slice(0, OPTION_TEXT_MAX),
            value: model.id,
            description: (estimate === undefined
              ? t('tryModel.noEstimate')
              : t('tryModel.credits', { credits: estimate })
            ).slice(0, OPTION_TEXT_MAX),
          })),
        },
      ],
    },
  ];
}
