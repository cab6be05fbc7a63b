import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { translate } from '../i18n/index.js';
import type { UsageReport } from './usage-report.js';

/** The chart's size in pixels: wide enough for 31 days of bars, readable in Discord's preview. */
export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 500;

/**
 * A subset of Noto Sans SC (assets/fonts/README.md): Latin and the common simplified Chinese
 * characters, so zh-CN labels draw the same everywhere, with no system font.
 */
export const CHART_FONT_FILE = fileURLToPath(
  new URL('../../../assets/fonts/NotoSansSC-Regular-subset.otf', import.meta.url),
);
/** The family name inside that file: what the SVG asks for and resvg finds. */
const CHART_FONT_FAMILY = 'Noto Sans S Chinese';

/** The chart's texts in one locale (the font must hold every character of them). */
export function chartLabels(locale: string) {
  return {
    title: translate(locale, 'usage.chart.title'),
    axisDay: translate(locale, 'usage.chart.axisDay'),
    axisCredits: translate(locale, 'usage.chart.axisCredits'),
  };
}

/**
 * Credits per day, stacked by model, as a PNG: echarts draws SVG in-process (no DOM, no
 * browser), resvg rasterises it off the event loop with the bundled font only.
 */
export async function renderUsageChart(
  report: UsageReport,
  locale: string,
  modelLabel: (modelId: string) => string,
): Promise<Buffer> {
  const labels = chartLabels(locale);
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: { text: labels.title, left: 'center', top: 12, textStyle: { fontSize: 20 } },
      legend: { bottom: 10, type: 'plain' },
      grid: { left: 70, right: 90, top: 70, bottom: 80 },
      xAxis: {
        type: 'category',
        name: labels.axisDay,
        data: report.window.days.map((day) => day.slice(5)),
        axisLabel: { interval: report.window.days.length > 16 ? 1 : 0 },
      },
      yAxis: { type: 'value', name: labels.axisCredits, minInterval: 1 },
      series: report.models.map((model, index) => ({
        type: 'bar',
        stack: 'credits',
        name: modelLabel(model),
        data: report.creditsPerDay[index] ?? [],
        barMaxWidth: 48,
      })),
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const image = await renderAsync(svg, {
    font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: 'original' },
  });
  return image.asPng();
}
