import { type MessageKey, type MessageParams, translate } from '../i18n/index.js';
import type { UnavailableMark } from '../models/availability.js';
import type { ModelEntry } from '../models/model.js';
import type { GuildSettings } from '../settings/settings-store.js';
import type { SetupStatus } from '../setup/setup-service.js';

const t = (locale: string, key: MessageKey, params?: MessageParams) => translate(locale, key, params);

export function describeDefaults(locale: string, defaults: GuildSettings['defaults']): string {
  const aspect = defaults.aspectRatio
    ? t(locale, defaults.aspectRatio === 'portrait' ? 'status.aspect.portrait' : 'status.aspect.landscape')
    : t(locale, 'setup.value.auto');
  const duration =
    defaults.durationSeconds === null
      ? t(locale, 'setup.value.auto')
      : t(locale, 'status.seconds', { seconds: defaults.durationSeconds });
  const watermark = t(locale, defaults.removeWatermark === false ? 'setup.value.no' : 'setup.value.yes');
  return t(locale, 'setup.defaults.summary', { aspect, duration, watermark });
}

export function describeLimits(locale: string, limits: GuildSettings['limits']): string {
  return t(locale, 'setup.limits.summary', {
    maxRunning: limits.maxRunning,
    perDay: limits.perMemberPerDay ?? t(locale, 'setup.value.unlimited'),
    cooldown: limits.cooldownSeconds,
    role: limits.allowedRoleId ? `<@&${limits.allowedRoleId}>` : t(locale, 'setup.value.anyone'),
    confirm: limits.confirmAboveCredits ?? t(locale, 'setup.value.never'),
  });
}

/** Discord's limit on an embed field's value. */
const FIELD_MAX = 1024;

/** Why a model is unavailable for this key: the scope, then Kie's words (as code: no markdown). */
export function describeUnavailable(locale: string, mark: UnavailableMark): string {
  const scope = t(locale, `models.scope.${mark.scope}`);
  const reason = mark.reason?.replaceAll('`', "'").trim();
  return reason ? `${scope}: \`${reason}\`` : scope;
}

/**
 * The embed field listing which models this server's key can use: the available ones on one
 * line, each unavailable one on its own with why (scope and Kie's words) and until when.
 * `rows` undefined: the server has no key.
 */
export function renderModelAvailability(
  locale: string,
  rows: Array<{ entry: ModelEntry; mark: UnavailableMark | undefined }> | undefined,
): { name: string; value: string } {
  const name = t(locale, 'models.availability.title');
  if (rows === undefined) return { name, value: t(locale, 'models.availability.noKey') };
  const available = rows.filter((row) => row.mark === undefined).map((row) => row.entry.label);
  const lines = [
    ...(available.length > 0
      ? [t(locale, 'models.availability.available', { models: available.join(', ') })]
      : []),
    ...rows.flatMap(({ entry, mark }) =>
      mark
        ? [
            t(locale, 'models.availability.unavailable', {
              model: entry.label,
              why: describeUnavailable(locale, mark),
              until: `<t:${Math.ceil(mark.until / 1000)}:R>`,
            }),
          ]
        : [],
    ),
  ];
  let value = '';
  for (const [index, line] of lines.entries()) {
    const more = t(locale, 'models.availability.more', { count: lines.length - index });
    const next = value ? `${value}\n${line}` : line;
    // Keep room for the "…and N more" line whenever lines remain.
    const room = index === lines.length - 1 ? FIELD_MAX : FIELD_MAX - more.length - 1;
    if (next.length > room) return { name, value: value ? `${value}\n${more}` : more };
    value = next;
  }
  return { name, value };
}

/** The webhook key line: masked when set, and whether this bot uses it at all (PUBLIC_URL). */
function describeWebhookKey(locale: string, status: SetupStatus): string {
  if (status.webhookKey === null)
    return t(
      locale,
      status.callbacksEnabled ? 'setup.status.noWebhookKey' : 'setup.status.noWebhookKeyUnused',
    );
  return status.callbacksEnabled
    ? status.webhookKey
    : t(locale, 'setup.status.webhookKeyUnused', { masked: status.webhookKey });
}

/** The ephemeral status embed of /animate-setup status. */
export function renderSetupStatus(
  locale: string,
  status: SetupStatus,
  modelLabel: string,
  availability?: { name: string; value: string },
  more: Array<{ name: string; value: string }> = [],
) {
  const credits =
    status.credits === null
      ? '—'
      : status.credits.ok
        ? String(status.credits.value)
        : t(locale, 'setup.status.balanceUnknown', { detail: status.credits.detail });
  return {
    embeds: [
      {
        title: t(locale, 'setup.status.title'),
        color: 0x5865f2,
        fields: [
          {
            name: t(locale, 'setup.status.key'),
            value: status.masked ?? t(locale, 'setup.status.noKey'),
            inline: true,
          },
          {
            name: t(locale, 'setup.status.webhookKey'),
            value: describeWebhookKey(locale, status),
            inline: true,
          },
          { name: t(locale, 'setup.status.balance'), value: credits, inline: true },
          { name: t(locale, 'setup.status.model'), value: modelLabel, inline: true },
          { name: t(locale, 'setup.status.running'), value: String(status.running), inline: true },
          ...(status.settings.lastJobCredits
            ? [
                {
                  name: t(locale, 'setup.status.lastJob'),
                  value: t(locale, 'setup.status.lastJobValue', {
                    before: status.settings.lastJobCredits.before,
                    after: status.settings.lastJobCredits.after,
                    // Kie's own charge when it said; else the balance's change (other jobs may share it).
                    used:
                      status.settings.lastJobCredits.consumed ??
                      status.settings.lastJobCredits.before - status.settings.lastJobCredits.after,
                    when: `<t:${Math.floor(status.settings.lastJobCredits.at / 1000)}:R>`,
                  }),
                  inline: true,
                },
              ]
            : []),
          {
            name: t(locale, 'setup.status.defaults'),
            value: describeDefaults(locale, status.settings.defaults),
          },
          { name: t(locale, 'setup.status.limits'), value: describeLimits(locale, status.settings.limits) },
          ...(availability ? [availability] : []),
          ...more,
        ],
      },
    ],
  };
}
