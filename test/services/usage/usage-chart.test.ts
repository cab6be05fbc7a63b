import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../../../src/services/i18n/index.js';
import {
  CHART_FONT_FILE,
  CHART_HEIGHT,
  CHART_WIDTH,
  chartLabels,
  renderUsageChart,
} from '../../../src/services/usage/usage-chart.js';
import type { UsageEntry } from '../../../src/services/usage/usage-log.js';
import { summariseUsage, usageWindowOf } from '../../../src/services/usage/usage-report.js';
import { pngSize } from '../../support/png.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const entry = (model: string, credits: number, daysAgo: number): UsageEntry => ({
  jobId: `${model}${daysAgo}${credits}`,
  userId: '1300000000000000001',
  model,
  credits,
  estimated: false,
  outcome: 'delivered',
  durationSeconds: 10,
  timeToVideoMs: 60_000,
  finishedAt: NOW - daysAgo * 24 * 60 * 60_000,
});
const report = summariseUsage(
  [entry('sora-2', 30, 0), entry('sora-2', 30, 2), entry('kling', 55.5, 2), entry('veo', 150, 5)],
  usageWindowOf('7d', NOW),
);

/** The characters a font's cmap maps (formats 4 and 12, Unicode subtables): enough to check coverage. */
function charactersOf(file: string): Set<number> {
  const font = readFileSync(file);
  const tables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i += 1) {
    const record = 12 + i * 16;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
  }
  if (cmap < 0) throw new Error('no cmap');
  const codes = new Set<number>();
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i += 1) {
    const sub = cmap + font.readUInt32BE(cmap + 4 + i * 8 + 4);
    const format = font.readUInt16BE(sub);
    if (format === 4) {
      const segments = font.readUInt16BE(sub + 6) / 2;
      const ends = sub + 14;
      const starts = ends + segments * 2 + 2;
      for (let s = 0; s < segments; s += 1) {
        for (
          let c = font.readUInt16BE(starts + s * 2);
          c <= font.readUInt16BE(ends + s * 2) && c !== 0xffff;
          c += 1
        )
          codes.add(c);
      }
    } else if (format === 12) {
      for (let g = 0; g < font.readUInt32BE(sub + 12); g += 1) {
        const group = sub + 16 + g * 12;
        for (let c = font.readUInt32BE(group); c <= font.readUInt32BE(group + 4); c += 1) codes.add(c);
      }
    }
  }
  return codes;
}

describe('renderUsageChart', () => {
  it('draws a PNG of the chart’s size', async () => {
    const png = await renderUsageChart(report, 'en-US', (id) => id.toUpperCase());
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it('draws the zh-CN chart, different from the en-US one (its labels)', async () => {
    const zh = await renderUsageChart(report, 'zh-CN', (id) => id);
    const en = await renderUsageChart(report, 'en-US', (id) => id);
    expect(pngSize(zh)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(Buffer.compare(zh, en)).not.toBe(0);
  });

  it('draws an empty period without failing', async () => {
    const png = await renderUsageChart(summariseUsage([], usageWindowOf('30d', NOW)), 'zh-CN', (id) => id);
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it('has every character of the chart’s labels, model names and digits in the bundled font', () => {
    const covered = charactersOf(CHART_FONT_FILE);
    const texts = [
      ...Object.values(chartLabels('zh-CN')),
      ...Object.values(chartLabels('en-US')),
      catalogues['zh-CN']['usage.chart.alt'],
      '0123456789-.,',
      'Sora 2 Pro · Kling 2.6 · Veo 3.1 Fast · Hailuo · Wan · Seedance · Runway · Grok Imagine',
    ];
    const missing = [...texts.join('')].filter((char) => !covered.has(char.codePointAt(0) ?? 0));
    expect(missing).toEqual([]);
  });
});
