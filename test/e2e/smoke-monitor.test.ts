import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAction } from '@gantry/runner';
import type { ActionRun } from '@gantry/runner';
import { parseHistory } from '@gantry/monitor';
import { FakeGitHub } from '../monitor/fake-github';
import { Target } from '../monitor/target';
import { TempDirs } from './fixtures';

const action = join(import.meta.dirname, '..', '..', 'actions', 'smoke-monitor');
const temp = new TempDirs();
const target = new Target();
let url = '';
beforeAll(async () => {
  url = await target.start();
});
afterAll(async () => {
  await target.stop();
  temp.cleanup();
});

/** A short probe: 10 requests/s for 1 s, per check. */
const quick = { duration: '1s', rate: '10', timeout: '500ms' };

/** Runs the committed dist/smoke-monitor bundle the way the runner does, under Node 24. */
function smokeMonitor(inputs: Record<string, string>, options: { env?: Record<string, string>; workspace?: string } = {}): Promise<ActionRun> {
  return runAction({
    action,
    inputs: { ...quick, ...inputs },
    env: options.env,
    workspace: options.workspace ?? temp.make('gantry-sm-ws-'),
    node: 'auto',
    timeoutMs: 60_000,
    runnerTemp: temp.make('gantry-sm-temp-'),
  });
}

type Report = { status: string; probe: { checks: Array<{ name: string; failuresByReason: Record<string, { count: number; example: string }> }> }; monitor?: { store: { kind: string } } };
const report = (run: ActionRun): Report => JSON.parse(readFileSync(run.outputs.report!, 'utf8'));
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('smoke mode (dist bundle through the runner harness)', () => {
  test('a healthy target passes: outputs, JSON report, summary with a table and a Mermaid chart', async () => {
    target.behaviour = 'healthy';
    const run = await smokeMonitor({ url, slo: 'availability >= 99.5%, p95 <= 250ms' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'pass', availability: '100.000', requests: '10', failures: '0' });
    for (const p of ['p50-ms', 'p95-ms', 'p99-ms']) expect(Number(run.outputs[p])).toBeGreaterThan(0);
    expect(Number(run.outputs['p95-ms'])).toBeLessThan(250);
    expect(report(run).status).toBe('pass');
    expect(run.summary).toContain('## Gantry smoke-monitor: ✅ pass');
    expect(run.summary).toContain(`| Target | <code>${url}</code> |`);
    expect(run.summary).toContain('```mermaid\nxychart-beta');
    expect(run.summary).toContain('| <code>p95 &lt;= 250ms</code> |');
  });

  test('a slow target fails the step, naming the objective and by how much', async () => {
    target.behaviour = 'slow';
    try {
      const run = await smokeMonitor({ url, slo: 'p95 <= 100ms', timeout: '1s' });
      expect(run.exitCode).toBe(1);
      expect(run.outputs.status).toBe('fail');
      expect(Number(run.outputs['p95-ms'])).toBeGreaterThanOrEqual(300);
      expect(errors(run)).toHaveLength(1);
      expect(errors(run)[0]).toMatch(/^smoke-monitor: objectives missed: 127\.0\.0\.1:\d+\/health: p95 [\d.]+ ?ms is [\d.]+ ?ms over 100 ?ms \(p95 <= 100ms\)$/);
    } finally {
      target.behaviour = 'healthy';
    }
  });

  test('an erroring target fails on availability; the summary groups failures by reason with an example', async () => {
    target.behaviour = 'error';
    try {
      const run = await smokeMonitor({ url });
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ status: 'fail', availability: '0.000', failures: '10' });
      expect(errors(run)[0]).toContain('(availability >= 99%)');
      expect(run.summary).toMatch(/\| status \| 10 \| <code>[^<]*500[^<]*<\/code> \|/);
      expect(report(run).probe.checks[0]!.failuresByReason.status!.count).toBe(10);
    } finally {
      target.behaviour = 'healthy';
    }
  });

  test.each([
    ['url', { url: 'not a url' }, 'not a url'],
    ['checks', { checks: '- name: api\n  method: GET' }, ''],
    ['slo', { url: 'URL', slo: 'p95 < fast' }, 'p95 < fast'],
    ['rate', { url: 'URL', rate: '0' }, '0'],
    ['rate', { url: 'URL', rate: '-5' }, '-5'],
    ['duration', { url: 'URL', duration: '1s', timeout: '5s' }, '1s'],
    ['github-token', { url: 'URL', mode: 'monitor', 'history-store': 'branch', 'github-token': '' }, ''],
  ])('bad input %s (%o) is one error naming it, and no request is sent', async (input, given, value) => {
    const before = target.requests;
    const inputs = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v === 'URL' ? url : v]));
    const run = await smokeMonitor(inputs);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(new RegExp(`^smoke-monitor failed: Input "${input}" has the value `));
    if (value) expect(errors(run)[0]).toContain(JSON.stringify(value).slice(1, -1));
    expect(target.requests).toBe(before);
    expect(run.outputs.report).toBeUndefined();
  });
});

describe('monitor mode, off GitHub (no token): local history, no issue calls', () => {
  test('an outage is recorded, the step does not fail, and the status page says so', async () => {
    const github = new FakeGitHub('unused');
    const apiUrl = await github.start();
    const workspace = temp.make('gantry-sm-local-');
    try {
      const up = await smokeMonitor({ url, mode: 'monitor', 'github-token': '' }, { workspace, env: { GITHUB_API_URL: apiUrl } });
      expect(up.exitCode, up.stdout).toBe(0);
      await target.stop();
      const down = await smokeMonitor({ url, mode: 'monitor', 'github-token': '' }, { workspace, env: { GITHUB_API_URL: apiUrl } });
      expect(down.exitCode, down.stdout).toBe(0);
      expect(down.outputs.status).toBe('fail');
      expect(down.annotations.find((a) => a.level === 'warning')?.message).toMatch(/^Outage recorded \(the step does not fail in monitor mode\): /);
      expect(down.summary).toContain('history in a local file (no github-token, so no GitHub API: no branch, no issues)');
      expect(report(down).monitor?.store.kind).toBe('file');
      const history = parseHistory(readFileSync(join(workspace, 'monitor/history.json'), 'utf8'), 'history');
      expect(history.entries.map((e) => e.checks[0]!.status)).toEqual(['up', 'down']);
      expect(Object.keys(history.entries[1]!.checks[0]!.failuresByReason)).toEqual(['connection-refused']);
      expect(readFileSync(join(workspace, 'monitor/status.md'), 'utf8')).toMatch(/\| 127\.0\.0\.1:\d+\/health \| 🔴 down \| 50\.00% \|/);
      expect(github.calls).toEqual([]);
    } finally {
      await target.start();
      await github.stop();
    }
  });
});

describe('monitor mode on GitHub: history branch and outage issues through the REST API', () => {
  // A fake of GitHub's REST API (test/monitor/fake-github.ts): the real one cannot be reached from here.
  const token = 'ghs_e2eSecretToken9f8e7d6c5b4a';
  const github = new FakeGitHub(token);
  let env: Record<string, string>;
  const runs: ActionRun[] = [];
  beforeAll(async () => {
    env = { GITHUB_API_URL: await github.start(), GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77' };
  });
  afterAll(() => github.stop());

  /** Each run in a fresh workspace, as on a hosted runner: only the branch carries the history. */
  async function monitor(extra: Record<string, string> = {}): Promise<ActionRun> {
    const run = await smokeMonitor({ url, mode: 'monitor', 'github-token': token, ...extra }, { env });
    runs.push(run);
    expect(run.exitCode, run.stdout).toBe(0);
    return run;
  }

  test('healthy → down → still down → erroring → healthy: branch created, issue opened once, commented on a change, closed with the downtime', async () => {
    const first = await monitor();
    expect(first.outputs.status).toBe('pass');
    expect(github.writes()).toEqual(['POST /git/trees', 'POST /git/commits', 'POST /git/refs']);
    expect(first.summary).toContain('history committed to branch gantry-monitor of acme/shop (monitor/history.json)');

    await target.stop();
    const down = await monitor();
    expect(down.outputs.status).toBe('fail');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ title: `Outage: 127.0.0.1:${target.port}/health`, labels: ['outage'], state: 'open' });
    expect(github.issues[0]!.body).toContain('connection-refused ×10');
    expect(github.issues[0]!.body).toContain('https://github.com/acme/shop/actions/runs/77');
    expect(down.summary).toContain('- Issue #1 opened for 127.0.0.1:');

    // Transient 502s from the API are retried (the one retry helper), not reported.
    github.failNext = 2;
    const still = await monitor();
    expect(github.calls.filter((c) => c.status === 502)).toHaveLength(2);
    expect(still.outputs.status).toBe('fail');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toHaveLength(0);

    await target.start();
    target.behaviour = 'error';
    await monitor();
    expect(github.issues[0]!.comments).toHaveLength(1);
    expect(github.issues[0]!.comments[0]).toMatch(/^Still down at .* Failure reasons changed from connection-refused to status\./);

    target.behaviour = 'healthy';
    const back = await monitor();
    expect(back.outputs.status).toBe('pass');
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]!.comments[1]).toMatch(/^Recovered at \S+ after [\d.]+ s of downtime \(down since \S+; 3 failing runs\)\./);
    expect(back.summary).toMatch(/- Issue #1 closed for 127\.0\.0\.1:\d+\/health/);

    const issueCalls = github.writes().filter((w) => w.includes('/issues'));
    expect(issueCalls).toEqual(['POST /issues', 'POST /issues/1/comments', 'POST /issues/1/comments', 'PATCH /issues/1']);
    const history = parseHistory(github.file('gantry-monitor', 'monitor/history.json')!, 'history');
    expect(history.entries.map((e) => e.checks[0]!.status)).toEqual(['up', 'down', 'down', 'down', 'up']);
    expect(history.outages).toEqual({});
    expect(github.file('gantry-monitor', 'monitor/status.md')).toContain('| 🟢 up | 40.00% |');
  });

  test('an outage issue already open is found by label and title, even with the history lost', async () => {
    await target.stop();
    try {
      await monitor();
      expect(github.issues.filter((i) => i.state === 'open')).toHaveLength(1);
      const opened = github.issues.length;
      // A different store: nothing recorded there, so only the open issue can prevent a duplicate.
      await monitor({ 'history-store': 'file', history: 'elsewhere/history.json' });
      expect(github.issues).toHaveLength(opened);
      expect(github.issues.at(-1)!.comments).toHaveLength(1);
      const listCalls = github.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/issues'));
      expect(listCalls.at(-1)!.query).toMatchObject({ state: 'open', labels: 'outage' });
    } finally {
      await target.start();
    }
  });

  test('a GitHub API that refuses the token fails the step after reporting what was measured', async () => {
    const run = await smokeMonitor({ url, mode: 'monitor', 'github-token': 'ghs_notTheRightOne12345' }, { env });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'pass', requests: '10' });
    expect(errors(run)).toEqual([
      'smoke-monitor: the monitor could not record this run: GitHub API GET /repos/acme/shop/contents/monitor/history.json?ref=gantry-monitor answered 401: Bad credentials',
    ]);
    expect(run.summary).toContain('> [!CAUTION]\n> The monitor could not record this run: GitHub API GET');
    expect(JSON.parse(readFileSync(run.outputs.report!, 'utf8')).monitorError).toContain('answered 401');
    expect(run.stdout).not.toContain('ghs_notTheRightOne12345');
  });

  test('the token is masked and never appears in logs, summaries, reports, history or status page', () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.masks).toContain(token);
      // The harness echoes the mask command itself masked; any other *** would be a print of the token.
      const logs = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
      for (const text of [logs, run.summary, readFileSync(run.outputs.report!, 'utf8')]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain('***');
      }
    }
    for (const path of ['monitor/history.json', 'monitor/status.md']) expect(github.file('gantry-monitor', path)).not.toContain(token);
    expect(existsSync(runs[0]!.outputs.report!)).toBe(true);
  });
});
