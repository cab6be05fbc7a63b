// The README's model table, generated from the registry so the two cannot drift:
// `npm run models:table` writes it, `npm run models:check` (in CI) fails when README.md differs.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeChoice, describeModel } from '../src/services/models/describe-model.js';
import type { ExtraOption, ModelEntry } from '../src/services/models/model.js';
import { formatDurations } from '../src/services/models/options.js';
import { createModelRegistry } from '../src/services/models/registry.js';

export const TABLE_START =
  '<!-- models:table:start — generated from src/services/models by `npm run models:table`; edit the registry, not this table -->';
export const TABLE_END = '<!-- models:table:end -->';

const LOCALE = 'en-US';
const HEADER = [
  'Model',
  'Kie id',
  'Durations',
  'Shape',
  'Remove watermark',
  'Extra options (`model_option`; `sound` and `camera` are options of their own; default in bold)',
  'Last frame',
  'Extend',
  'Estimated credits per video',
];

function describeOption(option: ExtraOption): string {
  const choices = option.choices
    .map((choice) => {
      const text = describeChoice(option, choice, LOCALE);
      return choice === option.default ? `**${text}**` : text;
    })
    .join(' / ');
  const limits = Object.entries(option.durationsByChoice ?? {}).map(
    ([choice, seconds]) => ` (${choice}: ${formatDurations(seconds, ', ')} s only)`,
  );
  // A named option is set by its own /animate option; the Kie field it sets follows in brackets.
  const name = option.named ? `\`${option.named}\` (${option.name})` : option.name;
  return `${name}: ${choices}${limits.join('')}`;
}

function row(entry: ModelEntry): string[] {
  const { credits } = describeModel(entry);
  const shape =
    entry.aspect === 'image'
      ? 'follows the image'
      : `portrait / landscape${entry.aspectFollowingImage ? ' / follows the image' : ''}`;
  const endFrame = entry.endFrame;
  return [
    entry.status ? `${entry.label} (withdrawn ${entry.status.since})` : entry.label,
    `\`${entry.id}\``,
    `${formatDurations(entry.durationsSeconds, ', ')} s`,
    shape,
    entry.supportsRemoveWatermark ? 'yes' : 'no',
    entry.extraOptions?.length ? entry.extraOptions.map(describeOption).join('; ') : '—',
    !endFrame ? '—' : endFrame.via === 'field' ? `\`${endFrame.field}\`` : `2nd of \`${endFrame.field}\``,
    entry.extend ? `\`${entry.extend.model}\`` : '—',
    !credits
      ? 'unknown'
      : Math.round(credits.min) === Math.round(credits.max)
        ? String(Math.round(credits.min))
        : `${Math.round(credits.min)}–${Math.round(credits.max)}`,
  ];
}

/** The Markdown table of these entries, columns padded so the source reads as a table too. */
export function renderModelTable(entries: readonly ModelEntry[]): string {
  const rows = [HEADER, ...entries.map(row)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), rule, ...body.map(line)].join('\n');
}

/** The README with the table between the markers replaced; throws when the markers are missing. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" markers in its Models section`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** Writes (or with `check`, only compares) the table; answers the process exit code. */
export async function runModelTable(options: { readmePath: string; check: boolean }): Promise<number> {
  const readme = await readFile(options.readmePath, 'utf8');
  let expected: string;
  try {
    expected = withTable(readme, renderModelTable(createModelRegistry().list()));
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  if (expected === readme) return 0;
  if (options.check) {
    const have = readme.split('\n');
    const want = expected.split('\n');
    const at = want.findIndex((text, i) => text !== have[i]);
    console.error(
      `${options.readmePath}: the model table differs from the registry (line ${at + 1}). Run \`npm run models:table\`.\n` +
        `  README:   ${have[at] ?? '(missing)'}\n  registry: ${want[at] ?? '(none)'}`,
    );
    return 1;
  }
  await writeFile(options.readmePath, expected);
  console.log(`${options.readmePath}: model table written`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, readme: { type: 'string', default: 'README.md' } },
  });
  process.exitCode = await runModelTable({ readmePath: values.readme, check: values.check });
}
