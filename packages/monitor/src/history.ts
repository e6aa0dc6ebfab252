import type { CheckReport, FailureReason, ProbeReport } from '@gantry/probe';
import { DEFAULT_LIMITS } from './types';
import type { CheckEntry, History, HistoryEntry, HistoryLimits } from './types';

/** A check's verdict in one run: whether it met its objectives, and which it missed. */
export interface CheckVerdict {
  pass: boolean;
  failed: string[];
}

/** A history that is file-shaped but holds a value that is not one. */
export class HistoryFormatError extends Error {
  override name = 'HistoryFormatError';
}

export function emptyHistory(): History {
  return { version: 1, entries: [], outages: {} };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** The history's entry for one run: per check, status, availability, p50/p95/p99 and failures by reason. */
export function entryFromReport(report: ProbeReport, verdicts: Record<string, CheckVerdict>): HistoryEntry {
  return { time: report.startedAt, checks: report.checks.map((check) => checkEntry(check, verdicts[check.name])) };
}

function checkEntry(check: CheckReport, verdict: CheckVerdict | undefined): CheckEntry {
  const failuresByReason: Partial<Record<FailureReason, number>> = {};
  for (const [reason, value] of Object.entries(check.failuresByReason)) {
    if (value) failuresByReason[reason as FailureReason] = value.count;
  }
  const pass = verdict?.pass ?? check.failures === 0;
  const entry: CheckEntry = {
    name: check.name,
    target: check.target,
    status: pass ? 'up' : 'down',
    availability: round(check.availability, 6),
    requests: check.requests,
    failures: check.failures,
    p50: round(check.latency.p50, 1),
    p95: round(check.latency.p95, 1),
    p99: round(check.latency.p99, 1),
    failuresByReason,
  };
  if (verdict && verdict.failed.length > 0) entry.failed = verdict.failed;
  return entry;
}

/**
 * Appends a run and drops what falls outside the limits: entries older than
 * `maxAgeMs` before the newest one (not the wall clock, so the same inputs
 * give the same file), then the oldest beyond `maxEntries`. An entry with
 * the same time as `entry` is replaced.
 */
export function appendEntry(history: History, entry: HistoryEntry, limits: HistoryLimits = DEFAULT_LIMITS): History {
  // Same time, same run: a retried save replaces it rather than counting it twice.
  const others = history.entries.filter((e) => e.time !== entry.time);
  const entries = [...others, entry].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const newest = Date.parse(entries[entries.length - 1]!.time);
  const recent = entries.filter((e) => newest - Date.parse(e.time) <= limits.maxAgeMs);
  return { ...history, entries: recent.slice(Math.max(0, recent.length - limits.maxEntries)) };
}

/** Reads a history file's text; an empty text is an empty history. */
export function parseHistory(text: string, source: string): History {
  if (text.trim() === '') return emptyHistory();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HistoryFormatError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const history = value as Partial<History>;
  if (typeof value !== 'object' || value === null || history.version !== 1 || !Array.isArray(history.entries)) {
    throw new HistoryFormatError(`${source} is not a smoke-monitor history (version 1 with an entries list)`);
  }
  return { version: 1, entries: history.entries, outages: history.outages ?? {} };
}

/** JSON with one entry per line: small, and a commit's diff shows just the new run. */
export function serializeHistory(history: History): string {
  const entries = history.entries.map((e) => JSON.stringify(e)).join(',\n');
  return `{"version":1,\n"outages":${JSON.stringify(history.outages)},\n"entries":[\n${entries}\n]}\n`;
}

/** A check's entries, oldest first, with the run time. */
export function checkSeries(history: History, name: string): Array<CheckEntry & { time: string }> {
  return history.entries.flatMap((e) => e.checks.filter((c) => c.name === name).map((c) => ({ ...c, time: e.time })));
}

/** Every check name in the history, in order of first appearance. */
export function checkNames(history: History): string[] {
  return [...new Set(history.entries.flatMap((e) => e.checks.map((c) => c.name)))];
}
