import { escapeMarkdown } from 'discord.js';
import type { BudgetWarning } from '../budget/budget-warning.js';
import { isMessageKey, type MessageKey, type MessageParams, translate } from '../i18n/index.js';
import type { JobRecord } from '../jobs/job-record.js';
import { estimateJob } from '../models/extend.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ModerationEvent } from '../moderation/moderation.js';
import type { GuildSettings } from '../settings/settings-store.js';
import { formatCredits } from './job-messages.js';
import { replyLink } from './jobs-list.js';
import { describeDefaults, describeLimits } from './setup-messages.js';

export interface AuditField {
  name: string;
  value: string;
  inline?: boolean;
}

/** One audit log message: a single embed, clamped to Discord's limits when posted. */
export interface AuditEmbed {
  title: string;
  description?: string;
  color: number;
  fields?: AuditField[];
  /** When it happened (ms); shown by Discord in the reader's time zone. */
  at?: number;
}

/**
 * A change an admin made. The key changes carry no key, not even a masked one: the log channel
 * may be read by more people than the admins, and a suffix tells them nothing they need.
 */
export type AdminChange =
  | { kind: 'key-set' | 'key-removed' | 'webhook-key-set' | 'webhook-key-removed' }
  | { kind: 'limits'; limits: GuildSettings['limits'] }
  | { kind: 'defaults'; defaults: GuildSettings['defaults'] }
  | { kind: 'model'; model: string }
  | { kind: 'budget'; credits: number | null; resetDay: number }
  | { kind: 'blocklist'; action: 'add' | 'remove'; entries: string[]; total: number }
  | { kind: 'log-channel'; from: string | null; to: string | null };

const COLOUR = { delivered: 0x57f287, failed: 0xed4245, cancelled: 0x95a5a6, lost: 0xe67e22 } as const;
const CHANGE_COLOUR = 0x5865f2;
const REFUSED_COLOUR = 0xfee75c;
/** A prompt is shown this long at most (code points) in the log. */
export const AUDIT_PROMPT_MAX = 300;

/** Discord's embed limits (title, description, field name and value, fields, all text together). */
const LIMIT = { title: 256, description: 4096, name: 256, value: 1024, fields: 25, total: 6000 } as const;

type Outcome = keyof typeof COLOUR;

function outcomeOf(job: JobRecord): Outcome | undefined {
  if (job.status === 'delivered' || job.status === 'cancelled') return job.status;
  if (job.status === 'expired') return 'lost';
  if (job.status === 'failed') return job.failure.key === 'job.failed.lostTask' ? 'lost' : 'failed';
  return undefined;
}

/** The message for a job that ended; undefined for one still under way. */
export function renderJobEnded(
  locale: string,
  job: JobRecord,
  models: ModelRegistry,
): AuditEmbed | undefined {
  const outcome = outcomeOf(job);
  if (!outcome) return undefined;
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const endedAt =
    job.status === 'delivered' ? job.deliveredAt : 'endedAt' in job ? job.endedAt : job.updatedAt;
  const model = models.get(job.model);
  const why =
    job.status === 'failed'
      ? failureText(locale, job.failure)
      : job.status === 'expired'
        ? t('audit.lost.expired')
        : undefined;
  return {
    title: t(`audit.job.${outcome}`),
    description: t('audit.job.prompt', { prompt: promptExcerpt(job.options.prompt) }),
    color: COLOUR[outcome],
    fields: [
      { name: t('audit.field.member'), value: `<@${job.userId}>`, inline: true },
      { name: t('audit.field.model'), value: model?.label ?? job.model, inline: true },
      { name: t('audit.field.length'), value: videoLength(locale, job), inline: true },
      { name: t('audit.field.took'), value: tookText(locale, endedAt - job.createdAt), inline: true },
      { name: t('audit.field.credits'), value: creditsText(locale, job, models), inline: true },
      { name: t('audit.field.job'), value: `\`${job.id}\``, inline: true },
      ...(why ? [{ name: t('audit.field.why'), value: why }] : []),
      { name: t('audit.field.reply'), value: t('audit.reply.link', { url: replyLink(job) }) },
    ],
    at: endedAt,
  };
}

/** Kie's own charge when it said; else the estimate, named as one; nothing when Kie never took it. */
function creditsText(locale: string, job: JobRecord, models: ModelRegistry): string {
  if (job.creditsConsumed !== null)
    return translate(locale, 'audit.credits.charged', { credits: formatCredits(job.creditsConsumed) });
  if (!('taskId' in job) || job.taskId === null) return translate(locale, 'audit.credits.none');
  const model = models.get(job.model);
  const estimate = model && estimateJob(model, job.options, job.extend);
  return estimate === undefined
    ? translate(locale, 'audit.credits.unknown')
    : translate(locale, 'audit.credits.estimate', { credits: formatCredits(estimate) });
}

function videoLength(locale: string, job: JobRecord): string {
  if (!job.extend) return translate(locale, 'status.seconds', { seconds: job.options.durationSeconds });
  return job.extend.addedSeconds === null
    ? translate(locale, 'status.addedUnknown')
    : translate(locale, 'status.added', { seconds: job.extend.addedSeconds });
}

function tookText(locale: string, ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes === 0
    ? translate(locale, 'audit.took.seconds', { seconds })
    : translate(locale, 'audit.took.minutes', { minutes, seconds });
}

function failureText(locale: string, failure: { key: string; params: MessageParams }): string {
  return isMessageKey(failure.key) ? translate(locale, failure.key, failure.params) : failure.key;
}

/** The budget's 80 % warning, once a period (the status shows it too). */
export function renderBudgetWarning(locale: string, warning: BudgetWarning): AuditEmbed {
  return {
    title: translate(locale, 'audit.budget.title'),
    description: translate(locale, 'audit.budget.description', {
      spent: formatCredits(warning.spent),
      budget: formatCredits(warning.budget),
      percent: Math.floor(warning.share * 100),
      estimated:
        warning.estimated > 0
          ? translate(locale, 'audit.budget.estimated', { credits: formatCredits(warning.estimated) })
          : '',
      when: `<t:${Math.floor(warning.resetsAt / 1000)}:f>`,
    }),
    color: REFUSED_COLOUR,
    at: warning.at,
  };
}

/** The message for an admin's change, naming who made it. */
export function renderAdminChange(
  locale: string,
  userId: string,
  change: AdminChange,
  at?: number,
): AuditEmbed {
  return {
    title: translate(locale, 'audit.change.title'),
    description: describeChange(locale, change),
    color: CHANGE_COLOUR,
    fields: [{ name: translate(locale, 'audit.field.by'), value: `<@${userId}>`, inline: true }],
    ...(at === undefined ? {} : { at }),
  };
}

function describeChange(locale: string, change: AdminChange): string {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  switch (change.kind) {
    case 'key-set':
      return t('audit.change.keySet');
    case 'key-removed':
      return t('audit.change.keyRemoved');
    case 'webhook-key-set':
      return t('audit.change.webhookKeySet');
    case 'webhook-key-removed':
      return t('audit.change.webhookKeyRemoved');
    case 'limits':
      return t('audit.change.limits', { summary: describeLimits(locale, change.limits) });
    case 'defaults':
      return t('audit.change.defaults', { summary: describeDefaults(locale, change.defaults) });
    case 'model':
      return t('audit.change.model', { model: escapeMarkdown(change.model) });
    case 'budget':
      return change.credits === null
        ? t('audit.change.budgetOff')
        : t('audit.change.budget', { budget: change.credits, day: change.resetDay });
    case 'blocklist':
      // The server's own words, for its admins: spoilered, so a glance at the channel shows none.
      return t(change.action === 'add' ? 'audit.change.blocklistAdded' : 'audit.change.blocklistRemoved', {
        entries: change.entries.map(spoiler).join(', '),
        total: change.total,
      });
    case 'log-channel':
      if (change.to === null) return t('audit.change.logChannelOff', { channel: `<#${change.from}>` });
      return change.from === null || change.from === change.to
        ? t('audit.change.logChannelSet', { channel: `<#${change.to}>` })
        : t('audit.change.logChannelMoved', { from: `<#${change.from}>`, channel: `<#${change.to}>` });
  }
}

/** The message for what moderation reports: a refused prompt, or a blocklist change. */
export function renderModeration(locale: string, event: ModerationEvent, at?: number): AuditEmbed {
  if (event.kind === 'blocklist-changed') {
    const { action, entries, total } = event;
    return renderAdminChange(locale, event.userId, { kind: 'blocklist', action, entries, total }, at);
  }
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  return {
    title: t('audit.refused.title'),
    description: t('audit.refused.description', { member: `<@${event.userId}>` }),
    color: REFUSED_COLOUR,
    fields: [
      { name: t('audit.field.member'), value: `<@${event.userId}>`, inline: true },
      { name: t('audit.field.channel'), value: `<#${event.channelId}>`, inline: true },
      { name: t('audit.field.entry'), value: spoiler(event.entry), inline: true },
      { name: t('audit.field.prompt'), value: spoiler(promptExcerpt(event.prompt, false)) },
    ],
    ...(at === undefined ? {} : { at }),
  };
}

/**
 * A member's prompt on one line, short, with markdown and mentions neutralised: `@everyone` or
 * `<@id>` in a prompt shows as text (allowed_mentions keeps either from pinging in any case).
 */
export function promptExcerpt(prompt: string, markdown = true): string {
  const chars = [...prompt.replace(/\s+/g, ' ').trim()];
  const short =
    chars.length > AUDIT_PROMPT_MAX ? `${chars.slice(0, AUDIT_PROMPT_MAX - 1).join('')}…` : chars.join('');
  const text = markdown ? escapeMarkdown(short).replace(/[[\]]/g, (bracket) => `\\${bracket}`) : short;
  return text.replaceAll('@', '@\u200b');
}

/** Text hidden behind a spoiler, as plain text: it cannot close the spoiler early nor format. */
function spoiler(text: string): string {
  const plain = escapeMarkdown(text.replaceAll('|', '\u2758')).replace(/[[\]]/g, (bracket) => `\\${bracket}`);
  return `||${plain}||`;
}

/** At most `max` UTF-16 units (what Discord counts), cut between characters, with an ellipsis. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/**
 * The REST body of an audit message: one embed within Discord's limits, and no mention that
 * pings anyone (`allowed_mentions: { parse: [] }`, whatever the text holds).
 */
export function auditBody(embed: AuditEmbed): {
  embeds: Array<Record<string, unknown>>;
  allowed_mentions: { parse: [] };
} {
  const title = clip(embed.title, LIMIT.title);
  // Fields first (who, what, how much), then the description in the room left.
  let used = title.length;
  const fields: Array<{ name: string; value: string; inline?: boolean }> = [];
  for (const field of (embed.fields ?? []).slice(0, LIMIT.fields)) {
    const name = clip(field.name, LIMIT.name) || '—';
    const room = Math.min(LIMIT.value, LIMIT.total - used - name.length);
    if (room < 1) break;
    const value = clip(field.value, room) || '—';
    fields.push({ name, value, ...(field.inline ? { inline: true } : {}) });
    used += name.length + value.length;
  }
  const room = Math.max(0, Math.min(LIMIT.description, LIMIT.total - used));
  const description = embed.description && room > 1 ? clip(embed.description, room) : '';
  return {
    embeds: [
      {
        title,
        color: embed.color,
        ...(description ? { description } : {}),
        fields,
        ...(embed.at === undefined ? {} : { timestamp: new Date(embed.at).toISOString() }),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
