import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each section writes its figures for the summary table (set by global-setup.ts). */
    reliabilityReportDir: string;
  }
}

/** A bug the suite found: where, what, and why it matters. */
export interface Finding {
  id: string;
  title: string;
  where: string;
  detail: string;
}

export interface SectionFigures {
  section: string;
  cases: number;
  faults: number;
  lost: number;
  duplicates: number;
  crashes: number;
  orphans: number;
  findings: Finding[];
  notes: string[];
}

/** One section's figures, written out when the section ends so the run can print one table. */
export class SectionReport implements SectionFigures {
  cases = 0;
  faults = 0;
  lost = 0;
  duplicates = 0;
  crashes = 0;
  orphans = 0;
  readonly findings: Finding[] = [];
  readonly notes: string[] = [];

  constructor(readonly section: string) {}

  finding(finding: Finding): void {
    if (!this.findings.some((known) => known.id === finding.id)) this.findings.push(finding);
  }

  note(line: string): void {
    this.notes.push(line);
    console.log(`[${this.section}] ${line}`);
  }

  /** Writes the figures for the run's summary; without the suite's global setup, prints them here. */
  save(): void {
    let dir: string | undefined;
    try {
      dir = inject('reliabilityReportDir');
    } catch {
      dir = undefined;
    }
    const figures: SectionFigures = { ...this, findings: this.findings, notes: this.notes };
    if (!dir) {
      console.log(renderSummary([figures]));
      return;
    }
    mkdirSync(dir, { recursive: true });
    const file = `${this.section.replace(/[^\w-]+/g, '-')}.json`;
    writeFileSync(path.join(dir, file), JSON.stringify(figures, null, 2));
  }
}

export function readReports(dir: string): SectionFigures[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as SectionFigures)
    .sort((a, b) => sectionNumber(a) - sectionNumber(b) || a.section.localeCompare(b.section));
}

/** Sections are numbered ('10 …' comes after '9 …'); an unnumbered one goes last. */
function sectionNumber(figures: SectionFigures): number {
  const number = Number.parseInt(figures.section, 10);
  return Number.isNaN(number) ? Number.POSITIVE_INFINITY : number;
}

const COLUMNS = [
  'section',
  'cases',
  'faults injected',
  'jobs lost',
  'duplicates',
  'crashes',
  'orphans',
  'findings',
];

/** The summary table (Markdown), then every finding in full. */
export function renderSummary(reports: SectionFigures[]): string {
  const rows = reports.map((r) => [
    r.section,
    String(r.cases),
    String(r.faults),
    String(r.lost),
    String(r.duplicates),
    String(r.crashes),
    String(r.orphans),
    r.findings.map((finding) => finding.id).join(', ') || '—',
  ]);
  const total = (pick: (r: SectionFigures) => number) => String(reports.reduce((sum, r) => sum + pick(r), 0));
  rows.push([
    '**total**',
    total((r) => r.cases),
    total((r) => r.faults),
    total((r) => r.lost),
    total((r) => r.duplicates),
    total((r) => r.crashes),
    total((r) => r.orphans),
    String(reports.reduce((sum, r) => sum + r.findings.length, 0)),
  ]);
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => row[index]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  const table = [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  const findings = reports.flatMap((r) =>
    r.findings.map((f) => `- **${f.id}** (${r.section}) ${f.title}\n  where: ${f.where}\n  ${f.detail}`),
  );
  const notes = reports.flatMap((r) => r.notes.map((note) => `- (${r.section}) ${note}`));
  return [
    '',
    'Reliability summary',
    '',
    ...table,
    '',
    findings.length ? 'Findings:' : 'Findings: none',
    ...findings,
    '',
    'Notes:',
    ...notes,
    '',
  ].join('\n');
}
