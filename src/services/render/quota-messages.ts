import { translate } from '../i18n/index.js';
import type { JobRecord } from '../jobs/job-record.js';
import { type MemberUsage, relative as stamp } from '../limits/guardrails.js';
import type { ModelRegistry } from '../models/registry.js';
import { ETA_MIN_SAMPLES, type Eta } from '../quota/eta-book.js';
import { replyLink } from './jobs-list.js';

const EMBED_COLOUR = 0x5865f2;
/** Discord's limit on an embed field's value. */
const FIELD_MAX = 1024;

/** A length of time as people say it: 45 s, 3 min, 1 h 5 min. */
export function formatDuration(locale: string, ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 120) return translate(locale, 'time.seconds', { n: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return translate(locale, 'time.minutes', { n: minutes });
  return translate(locale, 'time.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A job's expected end: a time, "any moment now" once past it, or why there is no estimate. */
export function etaText(locale: string, eta: Eta, now: number): string {
  if (!eta.known) return translate(locale, 'eta.unknown', { samples: eta.samples, needed: ETA_MIN_SAMPLES });
  const median = formatDuration(locale, eta.medianMs);
  return eta.expectedAt > now
    ? translate(locale, 'eta.expected', { when: stamp(eta.expectedAt), median })
    : translate(locale, 'eta.overdue', { median });
}

/** Kie has not started it yet (or the bot has not heard it has): queued, as /animate-jobs says. */
function isQueued(job: JobRecord): boolean {
  if (job.status === 'pending' || job.status === 'submitted') return true;
  return job.status === 'running' && job.lastKieState !== 'generating';
}

export interface QuotaView {
  usage: MemberUsage;
  /** The server's jobs in progress. */
  active: readonly JobRecord[];
  /** The member's own jobs in progress, each with its estimate. */
  mine: ReadonlyArray<{ job: JobRecord; eta: Eta }>;
  roleId: string | null;
  now: number;
}

/** The ephemeral answer of /animate-quota: the numbers the limits enforce, then the member's jobs. */
export function renderQuota(locale: string, models: ModelRegistry, view: QuotaView) {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(locale, key, params);
  const { usage, now } = view;
  const today =
    usage.perDay === null || usage.leftToday === null
      ? t('quota.todayUnlimited', { used: usage.usedToday })
      : t('quota.today', { left: usage.leftToday, limit: usage.perDay, when: stamp(usage.dayEndsAt) });
  const cooldown =
    usage.cooldownSeconds === 0
      ? t('quota.cooldownNone')
      : usage.cooldownEndsAt !== null
        ? t('quota.cooldownUntil', { when: stamp(usage.cooldownEndsAt) })
        : t('quota.cooldownReady');
  const queued = view.active.filter(isQueued).length;
  const server = t(usage.running >= usage.maxRunning ? 'quota.serverFull' : 'quota.server', {
    running: usage.running,
    max: usage.maxRunning,
    generating: view.active.length - queued,
    queued,
  });
  const lines = view.mine.map(({ job, eta }) =>
    t('quota.job', {
      model: models.get(job.model)?.label ?? job.model,
      duration: job.options.durationSeconds,
      eta: etaText(locale, eta, now),
      link: replyLink(job),
    }),
  );
  return {
    content: usage.allowed || !view.roleId ? '' : t('quota.notAllowed', { role: `<@&${view.roleId}>` }),
    embeds: [
      {
        title: t('quota.title'),
        color: EMBED_COLOUR,
        fields: [
          { name: t('quota.field.today'), value: today },
          { name: t('quota.field.cooldown'), value: cooldown },
          { name: t('quota.field.server'), value: server },
          { name: t('quota.field.yours'), value: fitField(lines) || t('quota.noneRunning') },
        ],
      },
    ],
    allowedMentions: { parse: [] as [] },
  };
}

/** As many whole lines as fit in one field. */
function fitField(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > FIELD_MAX) break;
    out = next;
  }
  return out;
}
