import { type MessageKey, type MessageParams, translate } from '../i18n/index.js';
import { type ProgressState, type TakeSlot, takeFileName } from '../jobs/job-notices.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ModelOffer } from '../jobs/other-models.js';
import type { ModelRegistry } from '../models/registry.js';
import { type ButtonsKind, jobButtons, rowOf, tryModelRow } from './job-components.js';
import { type JobMessages, progressKey } from './job-messages.js';

/** One take of a group: its record, or undefined for a take that never got one. */

const COLOUR = { running: 0x5865f2, ready: 0x57f287, none: 0xed4245 } as const;
const REASON_MAX = 300;

type Phase = 'running' | 'ready' | 'none';

function phaseOf(job: JobRecord | undefined): Phase {
  if (!job) return 'none';
  if (job.status === 'delivered') return 'ready';
  return ['pending', 'submitted', 'running', 'delivering'].includes(job.status) ? 'running' : 'none';
}

/**
 * The reply several takes share: what they have in common, then one embed per take (its state,
 * its video's attachment name or link, what it cost, why it failed) and one row of buttons per
 * take, and "Try another model" once one is ready. Each take's buttons act on that take alone.
 */
export function takesMessage(
  messages: JobMessages,
  models: ModelRegistry,
  slots: readonly TakeSlot[],
  offers: readonly ModelOffer[],
): Record<string, unknown> {
  const lead = slots.find((slot) => slot.job)?.job;
  if (!lead) throw new Error('a group of takes with no take recorded');
  const t = (key: MessageKey, params?: MessageParams) => translate(lead.locale, key, params);
  const count = slots.length;
  const phases = slots.map((slot) => phaseOf(slot.job));
  const tally = (phase: Phase) => phases.filter((each) => each === phase).length;
  const [ready, running] = [tally('ready'), tally('running')];
  const title: MessageKey = running > 0 ? 'status.title' : ready > 0 ? 'result.title' : 'result.failedTitle';
  const started =
    running > 0 ? t('status.started', { when: `<t:${Math.floor(lead.createdAt / 1000)}:R>` }) : undefined;
  const firstReady = slots.find((slot) => slot.job?.status === 'delivered')?.job;
  return {
    content: t('takes.content', {
      mention: `<@${lead.userId}>`,
      count,
      ready,
      running,
      failed: tally('none'),
    }),
    embeds: [
      messages.summary(lead, title, started, undefined, { perJob: false }),
      ...slots.map((slot, position) => ({
        title: t('takes.title', { index: slot.index, count }),
        description: stateText(messages, slot, t),
        color: COLOUR[phases[position] ?? 'none'],
        fields: slot.job
          ? [
              ...messages.costFields(slot.job),
              { name: t('status.field.job'), value: `\`${slot.job.id}\``, inline: true },
            ]
          : [],
      })),
    ],
    components: [
      ...slots.flatMap((slot) => {
        const kind = slot.job && buttonsKind(slot.job);
        if (!slot.job || !kind) return [];
        const resultUrl = slot.job.resultUrl ?? undefined;
        return rowOf(jobButtons(models, slot.job, kind, { resultUrl, suffix: ` ${slot.index}` }));
      }),
      ...(firstReady ? tryModelRow(firstReady, offers) : []),
    ],
    allowed_mentions: { users: [lead.userId] },
  };
}

function buttonsKind(job: JobRecord): ButtonsKind | undefined {
  if (job.status === 'delivered') return 'delivered';
  if (job.status === 'failed' || job.status === 'expired') return 'failed';
  if (job.status === 'cancelled') return undefined;
  return 'running';
}

function stateText(
  messages: JobMessages,
  { index, job }: TakeSlot,
  t: (key: MessageKey, params?: MessageParams) => string,
): string {
  if (!job) return t('takes.missing');
  switch (job.status) {
    case 'delivered':
      if (job.deliveredVia === 'channel-message') return t('takes.posted');
      return job.deliveredAs === 'attachment'
        ? t('takes.attached', { file: takeFileName(index) })
        : t('takes.linked', { url: job.resultUrl });
    case 'failed':
      return t('takes.failed', { reason: excerpt(messages.failureText(job.locale, job.failure)) });
    case 'expired':
      return t('takes.failed', { reason: t('state.expired') });
    case 'cancelled':
      return t('takes.cancelled');
    case 'pending':
      return t('state.pending');
    default:
      return t(progressKey[(job.shownState ?? 'queued') as ProgressState] ?? 'status.queued');
  }
}

function excerpt(text: string): string {
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}
