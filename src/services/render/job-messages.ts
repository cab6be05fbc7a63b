import { formatBytes, isMessageKey, type MessageKey, translate } from '../i18n/index.js';
import type { DeliveredExtras, JobNotices, ProgressState, TakeSlot } from '../jobs/job-notices.js';
import type { Failure, JobRecord } from '../jobs/job-record.js';
import type { ModelOffer } from '../jobs/other-models.js';
import { estimateJob } from '../models/extend.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Eta } from '../quota/eta-book.js';
import { creativeFields } from './creative-fields.js';
import { type ButtonsKind, jobButtons, rowOf, tryModelRow } from './job-components.js';
import { etaText } from './quota-messages.js';
import { takesMessage } from './take-messages.js';

export type { DeliveredExtras, ProgressState };

type MessageBody = Record<string, unknown>;

/** The words of each progress state. */
export const progressKey: Record<ProgressState, MessageKey> = {
  queued: 'status.queued',
  generating: 'status.generating',
  downloading: 'status.downloading',
  uploading: 'status.uploading',
};

const EMBED_COLOUR = 0x5865f2;

export { jobButtonId } from './job-components.js';

const noMentions = { parse: [] as string[] };

interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** Renders the member-facing messages of a job, in the job's locale. */
export class JobMessages implements JobNotices {
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
        this.summary(
          job,
          'status.title',
          started,
          {
            name: translate(job.locale, 'status.field.state'),
            value: translate(job.locale, progressKey[state]),
            inline: true,
          },
          { more: expected },
        ),
      ],
      components: this.#buttons(job, 'running'),
      allowed_mentions: noMentions,
    };
  }

  deliveredAttachment(job: JobRecord, resultUrl: string, extras: DeliveredExtras = {}): MessageBody {
    return {
      content: translate(job.locale, 'result.done', { mention: `<@${job.userId}>` }),
      embeds: [this.summary(job, 'result.title')],
      components: this.#delivered(job, resultUrl, extras),
      allowed_mentions: { users: [job.userId] },
    };
  }

  /** `limitBytes`: what this reply could carry (the channel's upload limit, or the bot's download cap). */
  deliveredLink(
    job: JobRecord,
    url: string,
    size: number | undefined,
    limitBytes: number,
    extras: DeliveredExtras = {},
  ): MessageBody {
    const mention = `<@${job.userId}>`;
    const limit = formatBytes(limitBytes);
    const text =
      size === undefined
        ? translate(job.locale, 'result.doneLinkUnknownSize', { mention, url })
        : translate(job.locale, 'result.doneLink', { mention, url, size: formatBytes(size), limit });
    return {
      content: text,
      embeds: [this.summary(job, 'result.title')],
      attachments: [],
      components: this.#delivered(job, url, extras),
      allowed_mentions: { users: [job.userId] },
    };
  }

  takes(slots: readonly TakeSlot[], offers: readonly ModelOffer[]): MessageBody {
    return takesMessage(this, this.#models, slots, offers);
  }

  failed(job: JobRecord, failure: Failure): MessageBody {
    return {
      content: translate(job.locale, 'result.failed', {
        mention: `<@${job.userId}>`,
        reason: this.failureText(job.locale, failure),
      }),
      embeds: [this.summary(job, 'result.failedTitle')],
      // A video at an address the bot refuses to fetch: nothing to deliver again or open.
      components: failure.key === 'job.failed.unsafeUrl' ? [] : this.#buttons(job, 'failed'),
      allowed_mentions: { users: [job.userId] },
    };
  }

  /** A job's buttons, in one row. */
  #buttons(job: JobRecord, kind: ButtonsKind) {
    return rowOf(jobButtons(this.#models, job, kind));
  }

  /** A delivered job's buttons, and the "Try another model" menu under them. */
  #delivered(job: JobRecord, resultUrl: string, extras: DeliveredExtras) {
    return [
      ...rowOf(jobButtons(this.#models, job, 'delivered', { resultUrl })),
      ...tryModelRow(job, extras.otherModels ?? []),
    ];
  }

  /**
   * The embed every state of a job shares: prompt, model, duration, shape, estimated cost, job
   * id. `perJob: false` leaves out what differs between takes (cost, balance, job id); `more`
   * goes after the state (the expected end).
   */
  summary(
    job: JobRecord,
    title: MessageKey,
    extraLine?: string,
    stateField?: EmbedField,
    { perJob = true, more = [] }: { perJob?: boolean; more?: EmbedField[] } = {},
  ) {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(job.locale, key, params);
    const model = this.#models.get(job.model);
    const aspect = t(
      job.options.aspectRatio === 'portrait' ? 'status.aspect.portrait' : 'status.aspect.landscape',
    );
    const fields: EmbedField[] = [
      ...(stateField ? [stateField] : []),
      ...more,
      { name: t('status.field.model'), value: model?.label ?? job.model, inline: true },
      { name: t('status.field.duration'), value: durationText(job), inline: true },
      {
        name: t('status.field.aspect'),
        value: job.options.aspectFromImage ? t('status.aspect.fromImage', { aspect }) : aspect,
        inline: true,
      },
      ...(model ? creativeFields(model, job.options, t) : []),
      ...(perJob ? this.costFields(job) : []),
      ...(perJob && job.creditsBefore !== null && job.creditsAfter !== null
        ? [
            {
              name: t('status.field.credits'),
              value: t('status.credits', { before: job.creditsBefore, after: job.creditsAfter }),
              inline: true,
            },
          ]
        : []),
      ...(perJob ? [{ name: t('status.field.job'), value: `\`${job.id}\``, inline: true }] : []),
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
      description: [prompt, fallback, this.#lineage(job), extraLine].filter(Boolean).join('\n'),
      color: EMBED_COLOUR,
      fields,
      thumbnail: { url: job.imageUrl },
    };
  }

  /** What Kie charged, once it said; before that (or if it never does) the estimate, named as one. */
  costFields(job: JobRecord): EmbedField[] {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(job.locale, key, params);
    if (job.creditsConsumed !== null) {
      return [
        {
          name: t('status.field.charged'),
          value: t('status.charged', { credits: formatCredits(job.creditsConsumed) }),
          inline: true,
        },
      ];
    }
    const model = this.#models.get(job.model);
    const credits = model && estimateJob(model, job.options, job.extend);
    return credits === undefined
      ? []
      : [{ name: t('status.field.cost'), value: t('status.estimate', { credits }), inline: true }];
  }

  /** Where the video comes from, when it continues or remakes another: a link to that one's reply. */
  #lineage(job: JobRecord): string | undefined {
    if (!job.parentReply) return undefined;
    const link = `https://discord.com/channels/${job.guildId}/${job.parentReply.channelId}/${job.parentReply.messageId}`;
    if (!job.extend) return translate(job.locale, 'result.otherModel', { link });
    const max = this.#models.get(job.model)?.extend?.maxExtensions ?? job.extend.chain;
    return translate(job.locale, 'result.extends', { link, chain: job.extend.chain, max });
  }

  failureText(locale: string, failure: Failure): string {
    return isMessageKey(failure.key) ? translate(locale, failure.key, failure.params) : failure.key;
  }
}

/** A video's length; an extension's is what it adds. */
function durationText(job: JobRecord): string {
  if (!job.extend) return translate(job.locale, 'status.seconds', { seconds: job.options.durationSeconds });
  return job.extend.addedSeconds === null
    ? translate(job.locale, 'status.addedUnknown')
    : translate(job.locale, 'status.added', { seconds: job.extend.addedSeconds });
}

/** Kie bills fractions (82.5): shown with at most one decimal. */
export function formatCredits(credits: number): string {
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
