import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { silentLogger } from '@gantry/action-kit';
import { GitHubApi, GitHubApiError, parseHistory, recordRun, selectHistoryStore, STATUS_START } from '@gantry/monitor';
import type { FailureReason } from '@gantry/probe';
import { FakeGitHub } from './fake-github';
import { makeReport, verdictsOf } from './reports';

const TOKEN = 'ghs_fakeTokenForTests0123456789';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-monitor-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const github = new FakeGitHub(TOKEN);
let apiUrl = '';
beforeEach(async () => {
  await github.stop();
  Object.assign(github, new FakeGitHub(TOKEN));
  apiUrl = await github.start();
  return () => github.stop();
});

function select(workspace: string, token: string | undefined, choice: 'auto' | 'file' = 'auto') {
  return selectHistoryStore({
    choice,
    token,
    repository: 'acme/shop',
    apiUrl,
    branch: 'gantry-monitor',
    historyPath: 'monitor/history.json',
    statusPagePath: 'monitor/status.md',
    workspace,
  });
}

async function run(workspace: string, minute: number, reasons?: Partial<Record<FailureReason, number>>, token: string | undefined = TOKEN) {
  const { store, api, reason } = select(workspace, token);
  const report = makeReport(at(minute), [{ name: 'api', reasons }]);
  const result = await recordRun({
    report,
    verdicts: verdictsOf(report),
    store,
    issues: api ? { api, repository: 'acme/shop', label: 'outage' } : undefined,
    commentIntervalMs: 3_600_000,
    statusPagePath: join(workspace, 'monitor/status.md'),
    logger: silentLogger,
  });
  return { result, reason };
}

describe('store selection', () => {
  test('no token: a local file, said so; a token: the branch, through the API URL', () => {
    const workspace = temp();
    expect(select(workspace, undefined).reason).toBe('history in a local file (no github-token, so no GitHub API: no branch, no issues)');
    expect(select(workspace, undefined).store.description).toBe(`local file ${join(workspace, 'monitor/history.json')}`);
    const chosen = select(workspace, TOKEN);
    expect(chosen.store.kind).toBe('branch');
    expect(chosen.reason).toBe(`history committed to branch gantry-monitor of acme/shop (monitor/history.json) through ${apiUrl}`);
    expect(select(workspace, TOKEN, 'file').store.kind).toBe('file');
    expect(select(workspace, TOKEN, 'file').api).toBeDefined();
  });
});

describe('the file store', () => {
  test('appends runs to the workspace file and writes the status page into an existing file between markers', async () => {
    const workspace = temp();
    await run(workspace, 0, undefined, '');
    writeFileSync(join(workspace, 'monitor/status.md'), `# Shop\n\n${readFileSync(join(workspace, 'monitor/status.md'), 'utf8')}\nMore text.\n`);
    const { result } = await run(workspace, 5, { status: 3 }, '');
    expect(result.store.kind).toBe('file');
    expect(result.issueEvents).toEqual([]);
    const history = parseHistory(readFileSync(join(workspace, 'monitor/history.json'), 'utf8'), 'h');
    expect(history.entries.map((e) => e.checks[0]!.status)).toEqual(['up', 'down']);
    expect(history.outages.api).toMatchObject({ since: at(5) });
    const page = readFileSync(join(workspace, 'monitor/status.md'), 'utf8');
    expect(page.startsWith(`# Shop\n\n${STATUS_START}`)).toBe(true);
    expect(page).toContain('| api | 🔴 down |');
    expect(page.trimEnd().endsWith('More text.')).toBe(true);
    expect(github.calls).toEqual([]);
  });
});

describe('the branch store and issues through the GitHub API', () => {
  test('creates the branch as an orphan, then updates the files with their sha; open → comment → close', async () => {
    const workspace = temp();
    await run(workspace, 0);
    expect(github.writes()).toEqual(['POST /git/trees', 'POST /git/commits', 'POST /git/refs']);
    expect([...github.branches.get('gantry-monitor')!.keys()].sort()).toEqual(['monitor/history.json', 'monitor/status.md']);

    github.calls.length = 0;
    const down = await run(workspace, 5, { 'connection-refused': 100 });
    expect(down.result.issueEvents).toEqual([{ kind: 'open', check: 'api', issue: 1, url: 'https://github.com/acme/shop/issues/1' }]);
    expect(github.writes()).toEqual(['POST /issues', 'PUT /contents/monitor/history.json', 'PUT /contents/monitor/status.md']);
    expect(github.issues[0]).toMatchObject({ title: 'Outage: api', labels: ['outage'], state: 'open' });
    expect(parseHistory(github.file('gantry-monitor', 'monitor/history.json')!, 'h').outages.api).toMatchObject({ issue: 1 });

    await run(workspace, 10, { 'connection-refused': 100 });
    expect(github.issues[0]!.comments).toHaveLength(0);
    await run(workspace, 15, { status: 100 });
    expect(github.issues[0]!.comments).toHaveLength(1);
    expect(github.issues[0]!.comments[0]).toContain('Failure reasons changed from connection-refused to status.');
    const up = await run(workspace, 20);
    expect(up.result.issueEvents).toEqual([{ kind: 'close', check: 'api', issue: 1 }]);
    expect(up.result.recoveries[0]).toMatchObject({ downtimeMs: 15 * 60_000, failedRuns: 3 });
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]!.comments[1]).toContain('after 15 m 00 s of downtime');
    expect(github.issues).toHaveLength(1);
    expect(readFileSync(join(workspace, 'monitor/status.md'), 'utf8')).toContain('| api | 🟢 up |');
    const history = parseHistory(github.file('gantry-monitor', 'monitor/history.json')!, 'h');
    expect(history.entries).toHaveLength(5);
    expect(history.outages).toEqual({});
  });

  test('a history changed by another run meanwhile is read again and the run re-applied', async () => {
    const workspace = temp();
    await run(workspace, 0);
    const inner = select(workspace, TOKEN).store;
    let loads = 0;
    // Another run saves between this run's read and its write.
    const store = { ...inner, load: async () => {
      const history = await inner.load();
      if (loads++ === 0) await run(workspace, 5);
      return history;
    } };
    const report = makeReport(at(10), [{ name: 'api' }]);
    const result = await recordRun({ report, verdicts: verdictsOf(report), store, commentIntervalMs: 0, statusPagePath: join(workspace, 's.md'), logger: silentLogger });
    expect(loads).toBe(2);
    expect(result.runs).toBe(3);
    expect(github.calls.filter((c) => c.status === 409).map((c) => c.path)).toEqual(['/repos/acme/shop/contents/monitor/history.json']);
    const history = parseHistory(github.file('gantry-monitor', 'monitor/history.json')!, 'h');
    expect(history.entries.map((e) => e.time)).toEqual([at(0), at(5), at(10)]);
  });

  test('5xx answers are retried; a 401 is not, and its message never holds the token', async () => {
    const api = new GitHubApi({ token: TOKEN, baseUrl: apiUrl, baseDelayMs: 1 });
    github.failNext = 2;
    expect(await api.request('GET', '/repos/acme/shop/issues?state=open')).toEqual([]);
    const wrong = new GitHubApi({ token: 'ghs_wrong', baseUrl: apiUrl, baseDelayMs: 1 });
    const error = await wrong.request('GET', '/repos/acme/shop/issues').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toBe('GitHub API GET /repos/acme/shop/issues answered 401: Bad credentials');
    expect(github.calls.filter((c) => c.status === 401)).toHaveLength(1);
  });

  test('a POST is not repeated after a 5xx: it may have happened, and a second issue would be a duplicate', async () => {
    const api = new GitHubApi({ token: TOKEN, baseUrl: apiUrl, baseDelayMs: 1 });
    github.failNext = 1;
    await expect(api.request('POST', '/repos/acme/shop/issues', { title: 'x' })).rejects.toThrow('answered 502');
    expect(github.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 502']);
  });
});
