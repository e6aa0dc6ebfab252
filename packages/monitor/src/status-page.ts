import { table } from '@gantry/action-kit/markdown';
import { lineChart } from './chart';
import { formatSpan, percent } from './describe';
import { checkNames, checkSeries } from './history';
import type { History } from './types';

const HOUR = 3_600_000;
export const UPTIME_WINDOWS: Array<{ label: string; ms: number }> = [
  { label: '24h', ms: 24 * HOUR },
  { label: '7d', ms: 7 * 24 * HOUR },
  { label: '30d', ms: 30 * 24 * HOUR },
];

/** Markers that let the status page live inside a file with other text: only what is between them is replaced. */
export const STATUS_START = '<!-- smoke-monitor:status:start -->';
export const STATUS_END = '<!-- smoke-monitor:status:end -->';

/**
 * Uptime of a check over the `windowMs` before `now`: the share of runs in
 * the window where it was up (runs come on a schedule, so runs stand for time).
 * Undefined when no run fell in the window.
 */
export function uptime(history: History, name: string, now: number, windowMs: number): number | undefined {
  const runs = checkSeries(history, name).filter((e) => now - Date.parse(e.time) <= windowMs && Date.parse(e.time) <= now);
  if (runs.length === 0) return undefined;
  return runs.filter((e) => e.status === 'up').length / runs.length;
}

/**
 * The status page, regenerated from the history alone: per check the current
 * status, uptime over 24h/7d/30d and the latest p95; the open incidents; and a
 * p95 trend chart per check over the latest runs.
 */
export function renderStatusPage(history: History, title = 'Status'): string {
  const last = history.entries[history.entries.length - 1];
  if (!last) return `${STATUS_START}\n# ${title}\n\nNo runs recorded yet.\n${STATUS_END}\n`;
  const now = Date.parse(last.time);
  const names = checkNames(history);
  const rows = names.map((name) => {
    const series = checkSeries(history, name);
    const latest = series[series.length - 1]!;
    const current = latest.time === last.time ? (latest.status === 'up' ? '🟢 up' : '🔴 down') : '⚪ not in the last run';
    const windows = UPTIME_WINDOWS.map(({ ms }) => {
      const value = uptime(history, name, now, ms);
      return value === undefined ? '—' : percent(value);
    });
    return [name, current, ...windows, `${latest.p95} ms`];
  });
  const parts = [
    `# ${title}`,
    `Updated ${last.time} from ${history.entries.length} run${history.entries.length === 1 ? '' : 's'} (since ${history.entries[0]!.time}).`,
    table(['Check', 'Now', ...UPTIME_WINDOWS.map((w) => `Uptime ${w.label}`), 'p95 (latest)'], rows, ['l', 'l', 'r', 'r', 'r', 'r']),
  ];
  const incidents = Object.entries(history.outages).map(([name, o]) => [
    name,
    o.since,
    formatSpan(now - Date.parse(o.since)),
    [...o.reasons, ...(o.missed ?? [])].join(', ') || '—',
    o.issue === undefined ? '—' : `#${o.issue}`,
  ]);
  parts.push('## Open incidents', incidents.length ? table(['Check', 'Since', 'For', 'Reasons', 'Issue'], incidents) : 'None.\n');
  parts.push('## Latency trend (p95 per run, ms)');
  for (const name of names) {
    const series = checkSeries(history, name);
    const chart = lineChart(name, 'run', series.map((e) => e.time.slice(5, 16).replace('T', ' ')), [{ label: 'p95', values: series.map((e) => e.p95) }]);
    parts.push(`### ${name}\n\n${chart}`);
  }
  return `${STATUS_START}\n${parts.join('\n\n')}${STATUS_END}\n`;
}

/** Puts the page between the markers of an existing file, or returns the page alone when it has none. */
export function embedStatusPage(existing: string | undefined, page: string): string {
  if (!existing) return page;
  const start = existing.indexOf(STATUS_START);
  const end = existing.indexOf(STATUS_END);
  if (start < 0 || end < start) return page;
  return existing.slice(0, start) + page.trimEnd() + existing.slice(end + STATUS_END.length);
}
