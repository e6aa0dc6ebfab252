import { code, escapeCell, formatDuration, table, truncateSummary } from '@gantry/action-kit/markdown';
import type { CheckReport, ProbeReport, SloResult } from '@gantry/probe';
import { lineChart } from './chart';
import { formatSpan, percent } from './describe';
import type { CheckVerdict } from './history';
import type { MonitorResult } from './monitor';

export interface SummaryInput {
  mode: 'smoke' | 'monitor';
  status: 'pass' | 'fail';
  report: ProbeReport;
  slo: SloResult;
  verdicts: Record<string, CheckVerdict>;
  /** Monitor mode: what was recorded, and where. */
  monitor?: MonitorResult;
  /** Which history store and issue handling was used, and why. */
  storeReason?: string;
  /** "GitHub Actions runner" or "local run". */
  environment: string;
}

const ms = (n: number) => `${Number(n.toFixed(1))} ms`;

/**
 * The job summary: the verdict; the SLO objectives with their margins; a
 * self-overload warning when the prober fell behind; then per check a table
 * of figures, failures by reason with an example each, and a latency chart.
 */
export function renderSummary(input: SummaryInput): string {
  const { report } = input;
  const icon = input.status === 'pass' ? '✅' : '❌';
  const parts = [
    `## Gantry smoke-monitor: ${icon} ${input.status}`,
    `${input.mode} mode, ${input.environment}: ${report.checks.length} check${report.checks.length === 1 ? '' : 's'} ` +
      `for ${formatDuration(report.durationMs)} from ${report.startedAt}; ${report.overall.requests} requests, ` +
      `${report.overall.failures} failed, availability ${percent(report.overall.availability)}.`,
  ];
  parts.push(renderOverload(report));
  if (input.slo.objectives.length > 0) {
    const rows = input.slo.objectives.map((o) => [
      code(o.text),
      o.metric === 'availability' ? percent(o.actual, 3) : ms(o.actual),
      o.pass ? '✅ met' : '❌ missed',
      o.margin,
    ]);
    parts.push('### Objectives (all checks)\n\n' + table(['Objective', 'Actual', 'Result', 'Margin'], rows, ['l', 'r', 'l', 'r']));
  }
  for (const check of report.checks) parts.push(renderCheck(check, input.verdicts[check.name]));
  if (input.monitor) parts.push(renderMonitor(input.monitor, input.storeReason));
  else if (input.storeReason) parts.push(input.storeReason);
  return truncateSummary(parts.filter(Boolean).join('\n\n') + '\n');
}

/**
 * The prober's own shortfall, said plainly so the target is not blamed for
 * it. Shown when the probe library judged it worth saying (its `note`) or
 * sends were dropped; a stray late send is noise.
 */
export function renderOverload(report: ProbeReport): string {
  const { lateSends, droppedSends, maxLagMs, note } = report.selfOverload;
  if (!note && droppedSends === 0) return '';
  const what = note ?? `${lateSends} sends went out late and ${droppedSends} were dropped (largest event-loop lag ${ms(maxLagMs)}).`;
  return [
    '> [!WARNING]',
    `> **The prober could not keep the asked rate: this runner is the bottleneck, not the target.** ${escapeCell(what)} ` +
      'Lower `rate`, raise `concurrency`, or use a bigger runner.',
  ].join('\n');
}

function renderCheck(check: CheckReport, verdict: CheckVerdict | undefined): string {
  const up = verdict ? verdict.pass : check.failures === 0;
  const rows: Array<[string, string | ReturnType<typeof code>]> = [
    ['Target', code(check.target)],
    ['Status', up ? '✅ up' : `❌ down${verdict?.failed.length ? ` (missed ${verdict.failed.join(', ')})` : ''}`],
    ['Requests', `${check.requests} (${check.successes} ok, ${check.failures} failed)`],
    ['Availability', percent(check.availability, 3)],
    ['Latency p50 / p90 / p95 / p99', [check.latency.p50, check.latency.p90, check.latency.p95, check.latency.p99].map(ms).join(' / ')],
    ['Latency max / mean', `${ms(check.latency.max)} / ${ms(check.latency.mean)}`],
  ];
  if (check.ready) {
    const r = check.ready;
    rows.push(['Ready', r.ready ? `after ${r.attempts} attempt(s), ${formatDuration(r.elapsedMs)}` : `not ready after ${formatDuration(r.elapsedMs)} (${r.lastFailure?.reason ?? 'unknown'}: ${r.lastFailure?.message ?? ''})`]);
  }
  if (check.tls) rows.push(['TLS certificate', `${check.tls.daysToExpiry} days to expiry (${check.tls.validTo}, ${check.tls.subject})`]);
  const parts = [`### ${escapeCell(check.name)}`, table(['', ''], rows)];
  const failures = Object.entries(check.failuresByReason).filter(([, v]) => v && v.count > 0);
  if (failures.length > 0) {
    failures.sort((a, b) => b[1]!.count - a[1]!.count);
    parts.push('Failures by reason:\n\n' + table(['Reason', 'Count', 'Example'], failures.map(([reason, v]) => [reason, v!.count, code(v!.example)]), ['l', 'r', 'l']));
  }
  const chart = lineChart(
    'Latency over time, ms',
    'second',
    check.timeline.map((b) => String(b.second)),
    [
      { label: 'p50', values: check.timeline.map((b) => b.p50) },
      { label: 'p95', values: check.timeline.map((b) => b.p95) },
    ],
  );
  if (chart) parts.push(chart);
  return parts.join('\n\n');
}

function renderMonitor(monitor: MonitorResult, storeReason: string | undefined): string {
  const lines = ['### Monitor', `History: ${storeReason ?? monitor.store.description} — ${monitor.runs} run(s) kept. Status page: ${code(monitor.statusPagePath).text}.`];
  const uptimeRows = Object.entries(monitor.uptime).map(([name, windows]) => [
    name,
    ...Object.values(windows).map((u) => (u === undefined ? '—' : percent(u))),
  ]);
  if (uptimeRows.length) lines.push(table(['Check', 'Uptime 24h', '7d', '30d'], uptimeRows, ['l', 'r', 'r', 'r']));
  for (const e of monitor.issueEvents) {
    const verb = e.kind === 'open' ? 'opened' : e.kind === 'comment' ? 'commented on' : 'closed';
    lines.push(`- Issue #${e.issue} ${verb} for ${escapeCell(e.check)}${e.url ? ` (${e.url})` : ''}`);
  }
  for (const r of monitor.recoveries) {
    lines.push(`- ${escapeCell(r.check)} recovered after ${formatSpan(r.downtimeMs)} of downtime (${r.failedRuns} failing run(s) since ${r.since})`);
  }
  return lines.join('\n\n');
}
