import { formatBytes, isMessageKey, type MessageKey, translate } from '../i18n/index.js';
import type { Failure, JobRecord } from '../jobs/job-record.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Eta } from '../quota/eta-book.js';
import { creativeFields } from './creative-fields.js';
import { etaText } from './quota-messages.js';

export type ProgressState = 'queued' | 'generating' | 'downloading' | 'uploading';
type MessageBody = Record<string, unknown>;

const progressKey: Record<ProgressState, MessageKey> = {
  queued: 'status.queued',
  generating: 'status.generating',
  downloading: 'status.downloading',
  uploading: 'status.uploading',
};

const EMBED_COLOUR = 0x5865f2;
const BUTTON = 2;
const ROW = 1;
const PRIMARY = 1;
const SECONDARY = 2;
const DANGER = 4;

/** Custom ids carry the job id; the guild comes from the interaction, the rest from the store. */
export const jobButtonId = (
  action: 'again' | 'remix' | 'retry' | 'cancel' | 'redeliver' | 'open' | 'delete',
  jobId: string,
) => `${action}:${jobId}`;

function buttons(job: JobRecord, kind: 'running' | 'delivered' | 'failed', resultUrl?: string) {
  const label = (key: MessageKey) => translate(job.locale, key);
  // Not a link to Kie's result URL, which dies after about a day: the bot fetches a fresh one.
  const openButton = {
    type: BUTTON,
    style: SECONDARY,
    label: label('button.open'),
    custom_id: jobButtonId('open', job.id),
  };
  const open = resultUrl ? [openButton] : [];
  // A video that was made but not delivered: deliver it again (nothing is paid twice), never Retry.
  if (kind === 'failed' && job.resultUrl !== null) {
    return [
      {
        type: ROW,
        components: [
          {
            type: BUTTON,
            style: PRIMARY,
            label: label('button.redeliver'),
            custom_id: jobButtonId('redeliver', job.id),
          },
          openButton,
        ],
      },
    ];
  }
  const row =
    kind === 'running'
      ? [
          {
            type: BUTTON,
            style: DANGER,
            label: label('button.cancel'),
            custom_id: jobButtonId('cancel', job.id),
          },
        ]
      : kind === 'failed'
        ? [
            {
              type: BUTTON,
              style: PRIMARY,
              label: label('button.retry'),
              custom_id: jobButtonId('retry', job.id),
            },
          ]
        : [
            {
              type: BUTTON,
              style: PRIMARY,
              label: label('button.remix'),
              custom_id: jobButtonId('remix', job.id),
            },
            {
              type: BUTTON,
              style: SECONDARY,
              label: label('button.again'),
              custom_id: jobButtonId('again', job.id),
            },
            ...open,
            // Its owner's or an admin's, who confirm first (delete-buttons.ts).
            {
              type: BUTTON,
              style: DANGER,
              label: label('button.delete'),
              custom_id: jobButtonId('delete', job.id),
            },
          ];
  return [{ type: ROW, components: row }];
}
const noMentions = { parse: [] as string[] };

interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** Renders the member-facing messages of a job, in the job's locale. */
export class JobMessages {
  readonly #models: ModelRegistry;
  readonly #now: () => number;

  constructor(models: ModelRegistry, now: () => number = Date.now) {
    this.#models = models;
    this.#now = now;
  }

  /** `eta`: when this server's history says the video should be ready (shown once known). */
  progress(job: JobRecord, state: ProgressState, eta?: Eta): MessageBody {
    const started = translate(job.locale, 'status.started', {
      when: `<t:${Math.floor(job.createdAt / 1000)}:R>`,
    });
    const expected = eta?.known
      ? [
          {
            name: translate(job.locale, 'status.field.eta'),
            value: etaText(job.locale, eta, this.#now()),
            inline: true,
          },
        ]
      : [];
    return {
      content: '',
      embeds: [
        this.#summary(
          job,
          'status.title',
          started,
          {
            name: translate(job.locale, 'status.field.state'),
            value: translate(job.locale, progressKey[state]),
            inline: true,
          },
          expected,
        ),
      ],
      components: buttons(job, 'running'),
      allowed_mentions: noMentions,
    };
  }

  deliveredAttachment(job: JobRecord, resultUrl: string): MessageBody {
    return {
      content: translate(job.locale, 'result.done', { mention: `<@${job.userId}>` }),
      embeds: [this.#summary(job, 'result.title')],
      components: buttons(job, 'delivered', resultUrl),
      allowed_mentions: { users: [job.userId] },
    };
  }

  /** `limitBytes`: what this reply could carry (the channel's upload limit, or the bot's download cap). */
  deliveredLink(job: JobRecord, url: string, size: number | undefined, limitBytes: number): MessageBody {
    const mention = `<@${job.userId}>`;
    const limit = formatBytes(limitBytes);
    const text =
      size === undefined
        ? translate(job.locale, 'result.doneLinkUnknownSize', { mention, url })
        : translate(job.locale, 'result.doneLink', { mention, url, size: formatBytes(size), limit });
    return {
      content: text,
      embeds: [this.#summary(job, 'result.title')],
      attachments: [],
      components: buttons(job, 'delivered', url),
      allowed_mentions: { users: [job.userId] },
    };
  }

  failed(job: JobRecord, failure: Failure): MessageBody {
    return {
      content: translate(job.locale, 'result.failed', {
        mention: `<@${job.userId}>`,
        reason: this.failureText(job.locale, failure),
      }),
      embeds: [this.#summary(job, 'result.failedTitle')],
      // A video at an address the bot refuses to fetch: nothing to deliver again or open.
      components: failure.key === 'job.failed.unsafeUrl' ? [] : buttons(job, 'failed'),
      allowed_mentions: { users: [job.userId] },
    };
  }

  /** The embed every state of a job shares: prompt, model, duration, shape, estimated cost, job id. */
  #summary(
    job: JobRecord,
    title: MessageKey,
    extraLine?: string,
    stateField?: EmbedField,
    more: EmbedField[] = [],
  ) {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(job.locale, key, params);
    const model = this.#models.get(job.model);
    const aspect = t(
      job.options.aspectRatio === 'portrait' ? 'status.aspect.portrait' : 'status.aspect.landscape',
    );
    const credits = model?.estimateCredits(job.options);
    const fields: EmbedField[] = [
      ...(stateField ? [stateField] : []),
      ...more,
      { name: t('status.field.model'), value: model?.label ?? job.model, inline: true },
      {
        name: t('status.field.duration'),
        value: t('status.seconds', { seconds: job.options.durationSeconds }),
        inline: true,
      },
      {
        name: t('status.field.aspect'),
        value: job.options.aspectFromImage ? t('status.aspect.fromImage', { aspect }) : aspect,
        inline: true,
      },
      ...(model ? creativeFields(model, job.options, t) : []),
      // What Kie charged, once it said; before that (or if it never does) the estimate, named as one.
      ...(job.creditsConsumed !== null
        ? [
            {
              name: t('status.field.charged'),
              value: t('status.charged', { credits: formatCredits(job.creditsConsumed) }),
              inline: true,
            },
          ]
        : credits === undefined
          ? []
          : [{ name: t('status.field.cost'), value: t('status.estimate', { credits }), inline: true }]),
      ...(job.creditsBefore !== null && job.creditsAfter !== null
        ? [
            {
              name: t('status.field.credits'),
              value: t('status.credits', { before: job.creditsBefore, after: job.creditsAfter }),
              inline: true,
            },
          ]
        : []),
      { name: t('status.field.job'), value: `\`${job.id}\``, inline: true },
    ];
    const prompt = t('result.prompt', { prompt: excerpt(job.options.prompt, 300) });
    const fallback = job.fallbackFrom
      ? t('result.fallback', {
          model: model?.label ?? job.model,
          unavailable: this.#models.get(job.fallbackFrom.model)?.label ?? job.fallbackFrom.model,
        })
      : undefined;
    return {
      title: t(title),
      description: [prompt, fallback, extraLine].filter(Boolean).join('\n'),
      color: EMBED_COLOUR,
      fields,
      thumbnail: { url: job.imageUrl },
    };
  }

  failureText(locale: string, failure: Failure): string {
    return isMessageKey(failure.key) ? translate(locale, failure.key, failure.params) : failure.key;
  }
}

/** Kie bills fractions (82.5): shown with at most one decimal. */
function formatCredits(credits: number): string {
  return String(Math.round(credits * 10) / 10);
}

function excerpt(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The reply of a job the member cancelled: no buttons, an honest word on credits. */
export function cancelledMessage(job: JobRecord): MessageBody {
  return {
    content: translate(job.locale, 'job.cancelled'),
    embeds: [],
    components: [],
    allowed_mentions: noMentions,
  };
}
