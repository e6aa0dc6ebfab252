import { describe, expect, test } from 'vitest';
import { renderSummary } from '@gantry/monitor';
import type { MonitorResult } from '@gantry/monitor';
import type { SloResult } from '@gantry/probe';
import { makeReport, verdictsOf } from './reports';

const slo: SloResult = {
  pass: false,
  objectives: [
    { metric: 'availability', op: '>=', target: 0.995, text: 'availability >= 99.5%', actual: 0.9, pass: false, margin: '9.5% below' },
    { metric: 'p95', op: '<=', target: 300, text: 'p95 <= 300ms', actual: 120, pass: true, margin: '180 ms under' },
  ],
};

describe('the job summary', () => {
  const report = makeReport('2026-01-01T00:00:00.000Z', [{ name: 'api', reasons: { status: 15, timeout: 5 }, p95: 120, seconds: 5 }, { name: 'web' }]);

  test('has the verdict, the objectives with margins, a table per check, failures by reason with examples, and a chart', () => {
    const md = renderSummary({ mode: 'smoke', status: 'fail', report, slo, verdicts: verdictsOf(report), environment: 'local run' });
    expect(md).toContain('## Gantry smoke-monitor: ❌ fail');
    expect(md).toContain('smoke mode, local run: 2 checks for 3.00 s from 2026-01-01T00:00:00.000Z; 200 requests, 20 failed, availability 90.00%.');
    expect(md).toContain('| <code>availability &gt;= 99.5%</code> | 90.000% | ❌ missed | 9.5% below |');
    expect(md).toContain('| <code>p95 &lt;= 300ms</code> | 120 ms | ✅ met | 180 ms under |');
    expect(md).toContain('### api');
    expect(md).toContain('### web');
    expect(md).toContain('| Status | ❌ down (missed availability &gt;= 99%) |');
    expect(md).toContain('| Latency p50 / p90 / p95 / p99 | 60 ms / 108 ms / 120 ms / 180 ms |');
    expect(md).toContain('| status | 15 | <code>status example on api</code> |\n| timeout | 5 | <code>timeout example on api</code> |');
    expect(md.match(/```mermaid\nxychart-beta\n {2}title "Latency over time, ms \(p50, p95\)"/g)).toHaveLength(2);
    expect(md).not.toContain('[!WARNING]');
  });

  test('names the prober as the cause when it could not keep the rate', () => {
    const overloaded = makeReport('2026-01-01T00:00:00.000Z', [{ name: 'api' }], { lateSends: 12, droppedSends: 3, maxLagMs: 250 });
    const md = renderSummary({ mode: 'smoke', status: 'pass', report: overloaded, slo: { pass: true, objectives: [] }, verdicts: {}, environment: 'local run' });
    expect(md).toContain(
      '> [!WARNING]\n> **The prober could not keep the asked rate: this runner is the bottleneck, not the target.** ' +
        '12 sends went out late and 3 were dropped (largest event-loop lag 250 ms).',
    );
    const noted = makeReport('2026-01-01T00:00:00.000Z', [{ name: 'api' }], { lateSends: 40, note: 'The prober could not keep up: 40 of 100 sends left late.' });
    expect(renderSummary({ mode: 'smoke', status: 'pass', report: noted, slo: { pass: true, objectives: [] }, verdicts: {}, environment: 'local run' })).toContain(
      'not the target.** The prober could not keep up: 40 of 100 sends left late. Lower `rate`',
    );
    const stray = makeReport('2026-01-01T00:00:00.000Z', [{ name: 'api' }], { lateSends: 1 });
    expect(renderSummary({ mode: 'smoke', status: 'pass', report: stray, slo: { pass: true, objectives: [] }, verdicts: {}, environment: 'local run' })).not.toContain('[!WARNING]');
  });

  test('in monitor mode: the history store, uptime, issue calls and recoveries', () => {
    const monitor: MonitorResult = {
      store: { kind: 'file', description: 'local file /w/h.json' },
      runs: 12,
      issueEvents: [{ kind: 'close', check: 'api', issue: 4 }],
      recoveries: [{ check: 'api', since: '2026-01-01T00:00:00.000Z', until: '2026-01-01T02:00:00.000Z', downtimeMs: 7_200_000, failedRuns: 24 }],
      outages: {},
      uptime: { api: { '24h': 0.5, '7d': 0.9, '30d': undefined } },
      statusPagePath: '/w/status.md',
    };
    const md = renderSummary({ mode: 'monitor', status: 'pass', report, slo, verdicts: verdictsOf(report), monitor, storeReason: 'history in a local file (no github-token)', environment: 'local run' });
    expect(md).toContain('History: history in a local file (no github-token) — 12 run(s) kept. Status page: <code>/w/status.md</code>.');
    expect(md).toContain('| api | 50.00% | 90.00% | — |');
    expect(md).toContain('- Issue #4 closed for api');
    expect(md).toContain('- api recovered after 2 h 00 m of downtime (24 failing run(s) since 2026-01-01T00:00:00.000Z)');
  });
});
