import { translate } from '../i18n/index.js';
import type { ModelRegistry } from '../models/registry.js';
import type { UsageReport } from '../usage/usage-report.js';
import { formatDuration } from './quota-messages.js';

const EMBED_COLOUR = 0x5865f2;
/** The chart's file name, which the embed shows as its image. */
export const USAGE_CHART_FILE = 'usage.png';

/** A model's name as members know it, its id when the bot no longer knows it. */
export const modelLabelOf = (models: ModelRegistry) => (id: string) => models.get(id)?.label ?? id;

/** The short table under the chart: totals, top members by credits and by videos, median time to video. */
export function renderUsageEmbed(locale: string, report: UsageReport, models: ModelRegistry) {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(locale, key, params);
  const label = modelLabelOf(models);
  const list = (lines: string[]) => (lines.length > 0 ? lines.join('\n') : t('usage.none'));
  const { totals } = report;
  return {
    title: t('usage.title', { period: t(`usage.period.${report.window.period}`) }),
    color: EMBED_COLOUR,
    image: { url: `attachment://${USAGE_CHART_FILE}` },
    fields: [
      {
        name: t('usage.field.totals'),
        value: t('usage.totals', {
          credits: totals.credits,
          jobs: totals.jobs,
          estimated: totals.estimated,
          delivered: totals.delivered,
          rate: totals.successRate === null ? 0 : Math.round(totals.successRate * 100),
        }),
      },
      {
        name: t('usage.field.topCredits'),
        value: list(
          report.topByCredits.map((row) =>
            t('usage.member.credits', { user: row.userId, credits: row.credits }),
          ),
        ),
        inline: true,
      },
      {
        name: t('usage.field.topVideos'),
        value: list(
          report.topByVideos.map((row) => t('usage.member.videos', { user: row.userId, videos: row.videos })),
        ),
        inline: true,
      },
      {
        name: t('usage.field.timeToVideo'),
        value: list(
          report.timeToVideo.map((row) =>
            t('usage.model.time', {
              model: label(row.model),
              time: formatDuration(locale, row.medianMs),
              videos: row.videos,
            }),
          ),
        ),
      },
    ],
  };
}
