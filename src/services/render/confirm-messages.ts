import { type MessageKey, type MessageParams, translate } from '../i18n/index.js';
import type { SubmitOutcome } from '../jobs/job-requests.js';
import type { ModelRegistry } from '../models/registry.js';

type Question = Extract<SubmitOutcome, { kind: 'needs-confirmation' }>;

const BUTTON = 2;
const ROW = 1;
const PRIMARY = 1;
const SECONDARY = 2;
/** Discord's cap on a button label. */
const LABEL_MAX = 80;

/**
 * The reply that asks the member before anything is spent: above the server's cost threshold,
 * or (the model someone chose cannot run now) another model offered for this one video.
 */
export function confirmationMessage(models: ModelRegistry, locale: string, question: Question) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const label = (id: string) => models.get(id)?.label ?? id;
  const estimate =
    question.estimate === undefined
      ? t('confirm.noEstimate')
      : t('status.estimate', { credits: question.estimate });
  const takes = question.takes ?? 1;
  const content =
    question.why.kind === 'cost'
      ? takes > 1
        ? t('takes.question', {
            takes,
            estimate: question.estimate ?? '?',
            threshold: question.why.threshold,
          })
        : t('confirm.question', { estimate: question.estimate ?? '?', threshold: question.why.threshold })
      : t('confirm.modelUnavailable', {
          unavailable: label(question.why.model),
          reason: question.why.reason,
          model: label(question.model),
          estimate,
        });
  const yes =
    question.why.kind === 'cost'
      ? t('confirm.button')
      : t('confirm.useModel', { model: label(question.model) });
  return {
    content,
    embeds: [],
    components: [
      {
        type: ROW,
        components: [
          {
            type: BUTTON,
            style: PRIMARY,
            label: yes.slice(0, LABEL_MAX),
            custom_id: `confirm:${question.draftId}`,
          },
          {
            type: BUTTON,
            style: SECONDARY,
            label: t('confirm.cancelButton'),
            custom_id: `confirm-no:${question.draftId}`,
          },
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
