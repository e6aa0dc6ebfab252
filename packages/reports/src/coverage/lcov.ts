import { ReportParseError } from '../errors';
import type { CoverageFile, CoverageResult } from '../types';
import { countLines, mergeByPath, percent, sumFiles } from './files';

/** Whether `content` looks like an lcov tracefile. */
export function looksLikeLcov(content: string): boolean {
  return /^\s*SF:/m.test(content) && /^\s*end_of_record\s*$/m.test(content);
}

/**
 * Parses an lcov tracefile. Per record, LF/LH are used when present and DA
 * lines are counted otherwise; records for one SF (one per TN) are unioned.
 */
export function parseLcov(content: string, source: string): CoverageResult {
  const files: CoverageFile[] = [];
  let current: { path: string; lineHits: Record<number, number>; lf?: number; lh?: number } | undefined;
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line === 'end_of_record') {
      if (current) files.push(finish(current));
      current = undefined;
      return;
    }
    const colon = line.indexOf(':');
    const tag = colon < 0 ? line : line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (tag === 'SF') {
      if (current) files.push(finish(current));
      current = { path: value, lineHits: {} };
      return;
    }
    if (!current) return; // TN and anything else outside a record
    if (tag === 'DA') {
      const [lineNo, hits] = value.split(',');
      const n = Number(lineNo);
      const h = Number(hits);
      if (!Number.isInteger(n) || !Number.isFinite(h)) {
        throw new ReportParseError(source, `line ${index + 1}: malformed DA record "${line}"`);
      }
      current.lineHits[n] = (current.lineHits[n] ?? 0) + h;
    } else if (tag === 'LF' || tag === 'LH') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0) {
        throw new ReportParseError(source, `line ${index + 1}: malformed ${tag} record "${line}"`);
      }
      if (tag === 'LF') current.lf = count;
      else current.lh = count;
    }
  });
  if (current) files.push(finish(current)); // tolerate a missing final end_of_record
  const merged = mergeByPath(files);
  const totals = sumFiles(merged);
  return { format: 'lcov', sources: [source], ...totals, pct: percent(totals.linesHit, totals.linesFound), files: merged };
}

function finish(record: { path: string; lineHits: Record<number, number>; lf?: number; lh?: number }): CoverageFile {
  const hasLines = Object.keys(record.lineHits).length > 0;
  const counted = countLines(record.lineHits);
  const file: CoverageFile = {
    path: record.path,
    linesFound: record.lf ?? counted.linesFound,
    linesHit: record.lh ?? counted.linesHit,
  };
  if (hasLines) file.lineHits = record.lineHits;
  return file;
}
