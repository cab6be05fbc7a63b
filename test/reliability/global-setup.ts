import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { readReports, renderSummary } from './report.js';

/** Gives every section a folder for its figures, and prints the summary table once all have run. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'animate-reliability-'));
  project.provide('reliabilityReportDir', dir);
  return () => {
    const reports = readReports(dir);
    if (reports.length === 0) return;
    const summary = renderSummary(reports);
    writeFileSync(path.join(dir, 'summary.md'), summary);
    console.log(`${summary}\n(also written to ${path.join(dir, 'summary.md')})`);
  };
}
