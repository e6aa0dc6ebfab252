import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { mergeCoverage, parseCoverage, parseJUnit } from '@gantry/reports';
import type { CoverageResult, TestSuiteResult } from '@gantry/reports';
import type { Logger } from '@gantry/action-kit';

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.venv/**', '**/target/debug/**', '**/target/release/**'];

/** Modification times of files, taken before the steps run, to tell fresh reports from stale ones. */
export type ReportSnapshot = Map<string, number>;

async function matchReports(dir: string, patterns: string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const matches = await glob(patterns, { cwd: dir, ignore: IGNORE, absolute: true, dot: false, onlyFiles: true });
  return matches.sort();
}

/** What report files exist before the run, and when each was last written. */
export async function snapshotReports(dir: string, patterns: string[]): Promise<ReportSnapshot> {
  const snapshot: ReportSnapshot = new Map();
  for (const file of await matchReports(dir, patterns)) snapshot.set(file, (await stat(file)).mtimeMs);
  return snapshot;
}

/**
 * Report files matching `patterns` that this run wrote: new since the snapshot, or rewritten.
 * The rest are stale leftovers of an earlier run, which must not pass for this one's results.
 */
export async function findReports(
  dir: string,
  patterns: string[],
  before: ReportSnapshot,
): Promise<{ files: string[]; stale: string[] }> {
  const files: string[] = [];
  const stale: string[] = [];
  for (const file of await matchReports(dir, patterns)) {
    const previous = before.get(file);
    (previous === undefined || (await stat(file)).mtimeMs !== previous ? files : stale).push(file);
  }
  return { files, stale };
}

export interface CollectedTests {
  files: string[];
  stale: string[];
  suites: TestSuiteResult[];
  totals: { passed: number; failed: number; skipped: number; total: number; durationMs: number };
}

export async function collectTests(dir: string, patterns: string[], before: ReportSnapshot, logger: Logger): Promise<CollectedTests> {
  const { files, stale } = await findReports(dir, patterns, before);
  const suites: TestSuiteResult[] = [];
  for (const file of files) {
    try {
      suites.push(parseJUnit(await readFile(file, 'utf8'), file));
    } catch (error) {
      logger.warning(`Skipped a JUnit report that could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const totals = { passed: 0, failed: 0, skipped: 0, total: 0, durationMs: 0 };
  for (const s of suites) {
    totals.passed += s.totals.passed;
    totals.failed += s.totals.failed;
    totals.skipped += s.totals.skipped;
    totals.total += s.totals.total;
    totals.durationMs += s.totals.durationMs;
  }
  return { files, stale, suites, totals };
}

export interface CollectedCoverage {
  files: string[];
  stale: string[];
  coverage?: CoverageResult;
}

export async function collectCoverage(dir: string, patterns: string[], before: ReportSnapshot, logger: Logger): Promise<CollectedCoverage> {
  const { files, stale } = await findReports(dir, patterns, before);
  const results: CoverageResult[] = [];
  for (const file of files) {
    try {
      results.push(parseCoverage(await readFile(file, 'utf8'), file));
    } catch (error) {
      logger.warning(`Skipped a coverage report that could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { files, stale, coverage: results.length > 0 ? mergeCoverage(results) : undefined };
}

/** A path as GitHub annotations want it: relative to the workspace, forward slashes. */
export function workspacePath(file: string, baseDir: string, workspace: string): string {
  const absolute = isAbsolute(file) ? file : resolve(baseDir, file.replace(/^file:\/\//, ''));
  return relative(workspace, absolute).split('\\').join('/');
}
