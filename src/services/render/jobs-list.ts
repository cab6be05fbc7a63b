import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import { type MessageKey, translate } from '../i18n/index.js';
import type { JobRecord, JobStatus } from '../jobs/job-record.js';

export type JobsScope = 'mine' | 'server';

/** Jobs per page of /animate-jobs. */
export const JOBS_PER_PAGE = 5;
/** The prefix of the page buttons' custom ids: `jobs-page:{scope}:{page}`. */
export const JOBS_PAGE_PREFIX = 'jobs-page';
const PROMPT_EXCERPT = 60;
const EMBED_COLOUR = 0x5865f2;

const stateKey: Record<JobStatus, MessageKey> = {
  pending: 'state.pending',
  submitted: 'state.submitted',
  running: 'state.running',
  delivering: 'state.delivering',
  delivered: 'state.delivered',
  failed: 'state.failed',
  expired: 'state.expired',
  cancelled: 'state.cancelled',
};

export const jobsPageId = (scope: JobsScope, page: number) => `${JOBS_PAGE_PREFIX}:${scope}:${page}`;

/** The scope and page a page button names, or undefined for a custom id this bot never made. */
export function parseJobsPageId(customId: string): { scope: JobsScope; page: number } | undefined {
  const match = /^jobs-page:(mine|server):(\d{1,4})$/.exec(customId);
  if (!match) return undefined;
  return { scope: match[1] as JobsScope, page: Number(match[2]) };
}

export interface JobsListMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: [] };
}

/**
 * One page of /animate-jobs: state, age, prompt excerpt and a link to each job's reply, with
 * Previous/Next buttons when there is more than one page. `page` is 1-based and clamped.
 */
export function renderJobsList(
  locale: string,
  scope: JobsScope,
  jobs: readonly JobRecord[],
  page: number,
): JobsListMessage {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const noMentions = { parse: [] as [] };
  if (jobs.length === 0) {
    return {
      content: t(scope === 'mine' ? 'jobs.none.mine' : 'jobs.none.server'),
      embeds: [],
      components: [],
      allowedMentions: noMentions,
    };
  }
  const pages = Math.ceil(jobs.length / JOBS_PER_PAGE);
  const current = Math.min(Math.max(1, Math.trunc(page)), pages);
  const shown = jobs.slice((current - 1) * JOBS_PER_PAGE, current * JOBS_PER_PAGE);
  const lines = shown.map((job) => {
    const params = {
      state: t(stateKey[job.status]),
      age: `<t:${Math.floor(job.createdAt / 1000)}:R>`,
      prompt: promptExcerpt(job.options.prompt),
      link: replyLink(job),
    };
    return scope === 'mine'
      ? t('jobs.line', params)
      : t('jobs.lineServer', { ...params, owner: `<@${job.userId}>` });
  });
  return {
    content: '',
    embeds: [
      {
        title: t(scope === 'mine' ? 'jobs.title.mine' : 'jobs.title.server'),
        description: lines.join('\n'),
        color: EMBED_COLOUR,
        footer: { text: t('jobs.page', { page: current, pages }) },
      },
    ],
    components: pages > 1 ? [pageButtons(locale, scope, current, pages)] : [],
    allowedMentions: noMentions,
  };
}

function pageButtons(
  locale: string,
  scope: JobsScope,
  page: number,
  pages: number,
): APIActionRowComponent<APIButtonComponent> {
  // Ids stay distinct within the row: on the first page Previous points at 1, Next at 2, and so on.
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: translate(locale, 'button.previous'),
        custom_id: jobsPageId(scope, Math.max(1, page - 1)),
        disabled: page <= 1,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: translate(locale, 'button.next'),
        custom_id: jobsPageId(scope, Math.min(pages, page + 1)),
        disabled: page >= pages,
      },
    ],
  };
}

/** The member's text on one line, short, with markdown neutralised so it cannot break the list. */
function promptExcerpt(prompt: string): string {
  const chars = [...prompt.replace(/\s+/g, ' ').trim()];
  const short =
    chars.length > PROMPT_EXCERPT ? `${chars.slice(0, PROMPT_EXCERPT - 1).join('')}…` : chars.join('');
  return escapeMarkdown(short).replace(/[[\]]/g, (bracket) => `\\${bracket}`);
}

/** The job's reply; the channel when the reply's id was never known. */
export function replyLink(job: JobRecord): string {
  const channel = `https://discord.com/channels/${job.guildId}/${job.channelId}`;
  return job.replyMessageId ? `${channel}/${job.replyMessageId}` : channel;
}
