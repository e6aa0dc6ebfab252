import type { CoverageFormat, CoverageResult } from '../types';
import { mergeByPath, percent, sumFiles } from './files';

// Richest first: lcov and Cobertura carry per-line hits, the summary only counts.
const PREFERENCE: CoverageFormat[] = ['lcov', 'cobertura', 'istanbul-summary'];

/**
 * Sums several coverage reports without counting a file twice:
 *
 * 1. Reports in one directory but of different formats are views of one run
 *    (`coverage/lcov.info` + `coverage/coverage-summary.json`): only the
 *    richest format is kept (lcov, then Cobertura, then the summary).
 * 2. Across what remains, a file reported more than once (same path, with
 *    `\` as `/` and without a leading `./`) is unioned line by line when both
 *    reports have line data, and otherwise the larger report of it wins.
 * 3. A report without per-file entries adds its totals as they are.
 */
export function mergeCoverage(results: CoverageResult[]): CoverageResult {
  const kept = keepRichestPerDirectory(results);
  const files = mergeByPath(
    kept.flatMap((result) => result.files),
    normalisePath,
  );
  const totals = sumFiles(files);
  for (const result of kept) {
    if (result.files.length === 0) {
      totals.linesFound += result.linesFound;
      totals.linesHit += result.linesHit;
    }
  }
  const formats = new Set(kept.map((result) => result.format));
  const [only] = formats;
  const single = kept.length === 1 ? kept[0] : undefined;
  return {
    format: formats.size === 1 && only !== undefined ? only : 'mixed',
    sources: kept.flatMap((result) => result.sources),
    ...totals,
    // A lone Cobertura report may carry only line-rate; keep its percentage.
    pct: single && totals.linesFound === 0 ? single.pct : percent(totals.linesHit, totals.linesFound),
    files,
  };
}

function keepRichestPerDirectory(results: CoverageResult[]): CoverageResult[] {
  const bestInDir = new Map<string, number>();
  for (const result of results) {
    for (const dir of result.sources.map(directoryOf)) {
      const rank = rankOf(result);
      bestInDir.set(dir, Math.min(bestInDir.get(dir) ?? rank, rank));
    }
  }
  return results.filter((result) => result.sources.every((src) => rankOf(result) === bestInDir.get(directoryOf(src))));
}

function rankOf(result: CoverageResult): number {
  const rank = PREFERENCE.indexOf(result.format as CoverageFormat);
  return rank < 0 ? PREFERENCE.length : rank;
}

function directoryOf(source: string): string {
  const path = normalisePath(source);
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}
