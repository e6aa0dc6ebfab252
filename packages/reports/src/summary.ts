import { percent } from './coverage/files';
import { code, escapeCell, formatDuration, table } from '@gantry/action-kit/markdown';
import type { CoverageResult, TestCaseResult, TestSuiteResult } from './types';

/** Options for `renderTestSummary`. */
export interface TestSummaryOptions {
  /** How many of the slowest tests to list; 0 hides the section. Default 5. */
  slowest?: number;
  /** How many failed tests to list before "and N more". Default 30. */
  maxFailures?: number;
}

/** Options for `renderCoverageSummary`. */
export interface CoverageSummaryOptions {
  /** How many least-covered files to list; 0 hides the table. Default 10. */
  maxFiles?: number;
}

/**
 * Markdown for the job summary: a totals table (passed ✅ failed ❌
 * skipped ⏭ duration), the failed tests with file:line and the first line of
 * their message, then the slowest tests. Cells are escaped.
 */
export function renderTestSummary(results: TestSuiteResult[], opts: TestSummaryOptions = {}): string {
  const slowest = opts.slowest ?? 5;
  const maxFailures = opts.maxFailures ?? 30;
  const cases = results.flatMap((result) => result.cases);
  const sum = (pick: (r: TestSuiteResult) => number): number => results.reduce((acc, r) => acc + pick(r), 0);
  const failedCount = sum((r) => r.totals.failed);
  const parts = [
    '### Test results',
    table(
      ['Passed ✅', 'Failed ❌', 'Skipped ⏭', 'Total', 'Duration'],
      [[
        String(sum((r) => r.totals.passed)),
        String(failedCount),
        String(sum((r) => r.totals.skipped)),
        String(sum((r) => r.totals.total)),
        formatDuration(sum((r) => r.totals.durationMs)),
      ]],
      ['r', 'r', 'r', 'r', 'r'],
    ).trimEnd(),
  ];
  const failed = cases.filter((test) => test.status === 'failed');
  if (failed.length > 0 && maxFailures > 0) {
    const shown = failed.slice(0, maxFailures);
    parts.push(
      `#### Failed tests (${failed.length})`,
      table(['Test', 'Location', 'Message'], shown.map((test) => [
        displayName(test),
        test.file ? code(test.line ? `${test.file}:${test.line}` : test.file) : '',
        firstLine(test.message ?? ''),
      ])).trimEnd(),
    );
    if (failed.length > shown.length) parts.push(`…and ${failed.length - shown.length} more failed tests not listed.`);
  }
  const ran = cases.filter((test) => test.status !== 'skipped' && test.durationMs > 0);
  if (slowest > 0 && ran.length > 0) {
    const top = [...ran].sort((a, b) => b.durationMs - a.durationMs).slice(0, slowest);
    parts.push(
      `#### Slowest tests (${top.length})`,
      table(['Test', 'Duration'], top.map((test) => [displayName(test), formatDuration(test.durationMs)]), ['l', 'r']).trimEnd(),
    );
  }
  return parts.join('\n\n') + '\n';
}

/**
 * Markdown for line coverage: the overall percentage with found/hit counts,
 * then the least-covered files.
 */
export function renderCoverageSummary(cov: CoverageResult, opts: CoverageSummaryOptions = {}): string {
  const maxFiles = opts.maxFiles ?? 10;
  const parts = [
    '### Coverage',
    `**Lines: ${formatPct(cov.pct)}** (${cov.linesHit} of ${cov.linesFound} lines hit; ${escapeCell(cov.format)} from ${cov.sources.map((s) => code(s).text).join(', ')})`,
  ];
  const gaps = cov.files
    .filter((file) => file.linesHit < file.linesFound)
    .sort((a, b) => percent(a.linesHit, a.linesFound) - percent(b.linesHit, b.linesFound) || b.linesFound - a.linesFound);
  if (maxFiles > 0 && gaps.length > 0) {
    const shown = gaps.slice(0, maxFiles);
    parts.push(
      `#### Least covered files (${shown.length} of ${gaps.length} not fully covered)`,
      table(['File', 'Lines hit', 'Lines', '%'], shown.map((file) => [
        code(file.path),
        file.linesHit,
        file.linesFound,
        formatPct(percent(file.linesHit, file.linesFound)),
      ]), ['l', 'r', 'r', 'r']).trimEnd(),
    );
  }
  return parts.join('\n\n') + '\n';
}

function displayName(test: TestCaseResult): string {
  return test.suite ? `${test.suite} › ${test.name}` : test.name;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

// Floors so 99.996% never shows as a passing-looking 100.00%.
function formatPct(pct: number): string {
  return `${(Math.floor(pct * 100) / 100).toFixed(2)}%`;
}
