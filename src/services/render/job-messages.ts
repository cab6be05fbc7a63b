import { formatBytes, isMessageKey, type MessageKey, translate } from '../i18n/index.js';
import type { Failure, JobRecord } from '../jobs/job-record.js';
import type { ModelRegistry } from '../models/registry.js';

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
const LINK = 5;

/** Custom ids carry the job id; the guild comes from the interaction, the rest from the store. */
export const jobButtonId = (action: 'again' | 'remix' | 'retry' | 'cancel', jobId: string) =>
  `${action}:${jobId}`;

function buttons(job: JobRecord, kind: 'running' | 'delivered' | 'failed', resultUrl?: string) {
  const label = (key: MessageKey) => translate(job.locale, key);
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
            ...(resultUrl
              ? [{ type: BUTTON, style: LINK, label: label('button.open'), url: resultUrl }]
              : []),
          ];
  return [{ type: ROW, components: row }];
}
const noMentions = { parse: [] as string[] };

/** Renders the member-facing messages of a job, in the job's locale. */
export class JobMessages {
  readonly #models: ModelRegistry;

  constructor(models: ModelRegistry) {
    this.#models = models;
  }

  progress(job: JobRecord, state: ProgressState): MessageBody {
    const t = (key: MessageKey, params?: Record<string, string | number>) =>
      translate(job.locale, key, params);
    const model = this.#models.get(job.model);
    const aspect = t(
      job.options.aspectRatio === 'portrait' ? 'status.aspect.portrait' : 'status.aspect.landscape',
    );
    const credits = model?.estimateCredits(job.options);
    const fields = [
      { name: t('status.field.state'), value: t(progressKey[state]), inline: true },
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
      ...(credits === undefined
        ? []
        : [{ name: t('status.field.cost'), value: t('status.estimate', { credits }), inline: true }]),
      { name: t('status.field.job'), value: `\`${job.id}\``, inline: true },
    ];
    return {
      content: '',
      embeds: [
        {
          title: t('status.title'),
          description: `${t('result.prompt', { prompt: excerpt(job.options.prompt, 300) })}\n${t(
            'status.started',
            {
              when: `<t:${Math.floor(job.createdAt / 1000)}:R>`,
            },
          )}`,
          color: EMBED_COLOUR,
          fields,
          thumbnail: { url: job.imageUrl },
        },
      ],
      components: buttons(job, 'running'),
      allowed_mentions: noMentions,
    };
  }

  deliveredAttachment(job: JobRecord, resultUrl: string): MessageBody {
    return {
      content: `${translate(job.locale, 'result.done', { mention: `<@${job.userId}>` })}\n${this.#promptLine(job)}`,
      embeds: [],
      components: buttons(job, 'delivered', resultUrl),
      allowed_mentions: { users: [job.userId] },
    };
  }

  deliveredLink(job: JobRecord, url: string, size: number | undefined): MessageBody {
    const mention = `<@${job.userId}>`;
    const limit = formatBytes(job.attachmentSizeLimit);
    const text =
      size === undefined
        ? translate(job.locale, 'result.doneLinkUnknownSize', { mention, url })
        : translate(job.locale, 'result.doneLink', { mention, url, size: formatBytes(size), limit });
    return {
      content: `${text}\n${this.#promptLine(job)}`,
      embeds: [],
      attachments: [],
      allowed_mentions: { users: [job.userId] },
    };
  }

  failed(job: JobRecord, failure: Failure): MessageBody {
    return {
      content: translate(job.locale, 'result.failed', {
        mention: `<@${job.userId}>`,
        reason: this.failureText(job.locale, failure),
      }),
      embeds: [],
      components: buttons(job, 'failed'),
      allowed_mentions: { users: [job.userId] },
    };
  }

  failureText(locale: string, failure: Failure): string {
    return isMessageKey(failure.key) ? translate(locale, failure.key, failure.params) : failure.key;
  }

  #promptLine(job: JobRecord): string {
    return translate(job.locale, 'result.prompt', { prompt: excerpt(job.options.prompt, 200) });
  }
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
