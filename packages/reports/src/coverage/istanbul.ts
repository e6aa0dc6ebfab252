import { ReportParseError } from '../errors';
import type { CoverageFile, CoverageResult } from '../types';
import { percent } from './files';

interface Counter {
  total: number;
  covered: number;
}

/** Whether parsed JSON is an Istanbul `coverage-summary.json`. */
export function isIstanbulSummary(json: unknown): boolean {
  return counterOf(json, 'total') !== undefined;
}

/**
 * Parses Istanbul's json-summary report: `total.lines` for the totals and
 * every other key as a file. `pct` is recomputed (Istanbul may write "Unknown").
 */
export function parseIstanbulSummary(json: unknown, source: string): CoverageResult {
  const total = counterOf(json, 'total');
  if (!total) throw new ReportParseError(source, 'not an Istanbul coverage summary: no total.lines {total, covered}');
  const files: CoverageFile[] = [];
  for (const key of Object.keys(json as object)) {
    if (key === 'total') continue;
    const lines = counterOf(json, key);
    if (!lines) throw new ReportParseError(source, `entry "${key}" has no lines {total, covered}`);
    files.push({ path: key, linesFound: lines.total, linesHit: lines.covered });
  }
  return {
    format: 'istanbul-summary',
    sources: [source],
    linesFound: total.total,
    linesHit: total.covered,
    pct: percent(total.covered, total.total),
    files,
  };
}

function counterOf(json: unknown, key: string): Counter | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const entry = (json as Record<string, unknown>)[key];
  if (typeof entry !== 'object' || entry === null) return undefined;
  const lines = (entry as Record<string, unknown>).lines;
  if (typeof lines !== 'object' || lines === null) return undefined;
  const { total, covered } = lines as Record<string, unknown>;
  if (!isCount(total) || !isCount(covered)) return undefined;
  return { total, covered };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
