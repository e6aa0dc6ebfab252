import { formatDuration, table } from '@gantry/action-kit/markdown';
import type { CheckEntry } from './types';

/** "99.50%": availability as people read it. */
export const percent = (fraction: number, digits = 2): string => `${(fraction * 100).toFixed(digits)}%`;

/** A check's figures in one run, as a small markdown table (issue texts, the status page). */
export function describeEntry(check: CheckEntry): string {
  const reasons = Object.entries(check.failuresByReason)
    .map(([reason, count]) => `${reason} ×${count}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['Target', check.target],
    ['Availability', `${percent(check.availability)} (${check.failures} of ${check.requests} failed)`],
    ['Latency p50 / p95 / p99', `${check.p50} / ${check.p95} / ${check.p99} ms`],
  ];
  if (reasons) rows.push(['Failures by reason', reasons]);
  if (check.failed?.length) rows.push(['Objectives missed', check.failed.join(', ')]);
  return table(['', ''], rows);
}

/**
 * A span of downtime: formatDuration's form under an hour, then hours and
 * minutes ("6 h 05 m") and days and hours ("2 d 03 h"), as outages run long.
 */
export function formatSpan(ms: number): string {
  if (ms < 3_600_000) return formatDuration(ms);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d ${String(hours % 24).padStart(2, '0')} h`;
}
