import { afterEach, describe, expect, test } from 'vitest';
import { parseChecks, runProbe, type LoadShape, type ProbeResult } from '@gantry/probe';
import { startTarget, type Target } from './servers';

const targets: Target[] = [];
async function target(): Promise<Target> {
  const t = await startTarget();
  targets.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

const shape = (change: Partial<LoadShape> = {}): LoadShape => ({ durationMs: 1000, rate: 20, concurrency: 10, timeoutMs: 1000, ...change });

describe('runProbe over HTTP', () => {
  test('holds the asked rate open loop and measures the added latency', async () => {
    const t = await target();
    t.state.delayMs = 30;
    const started = performance.now();
    const report = await runProbe(parseChecks({ url: `${t.url}/health` }), shape({ durationMs: 2000, rate: 40 }));
    const wall = performance.now() - started;
    const [check] = report.checks;
    expect(check).toMatchObject({ name: `127.0.0.1:${t.port}/health`, target: `${t.url}/health`, requests: 80, successes: 80, failures: 0, availability: 1 });
    expect(t.received).toBe(80);
    expect(check!.timeline.map((b) => b.requests)).toEqual([40, 40]);
    expect(wall).toBeGreaterThan(1950); // the last send is due at 1975 ms, then answers 30 ms later
    expect(wall).toBeLessThan(2600);
    expect(check!.latency.p50).toBeGreaterThanOrEqual(30);
    expect(check!.latency.p50).toBeLessThan(60);
    expect(check!.latency.max).toBeGreaterThanOrEqual(check!.latency.p99);
    expect(report.overall).toMatchObject({ requests: 80, failures: 0, availability: 1 });
    // A GC pause or a busy CI machine may make a send or two late; nothing is dropped.
    expect(report.selfOverload.droppedSends).toBe(0);
    expect(report.selfOverload.lateSends).toBeLessThanOrEqual(3);
  });

  test('an erroring target fails every request on status, with an example', async () => {
    const t = await target();
    t.state.mode = 'error';
    const report = await runProbe(parseChecks({ url: t.url }), shape());
    expect(report.checks[0]).toMatchObject({
      requests: 20,
      failures: 20,
      availability: 0,
      failuresByReason: { status: { count: 20, example: 'GET answered 500 Internal Server Error, expected 200-399' } },
    });
    expect(report.checks[0]!.timeline).toEqual([expect.objectContaining({ second: 0, requests: 20, failures: 20 })]);
  });

  test('a flapping target is half available', async () => {
    const t = await target();
    t.state.mode = 'flap';
    const report = await runProbe(parseChecks({ url: t.url }), shape());
    expect(report.overall).toMatchObject({ requests: 20, failures: 10, availability: 0.5 });
  });

  test('a target that goes down and comes back: refused connections while down, then healthy', async () => {
    const t = await target();
    const outage = setTimeout(() => void t.down(), 400);
    const back = setTimeout(() => void t.up(), 850); // listening again before the second second's sends
    const results: ProbeResult[] = [];
    const report = await runProbe(parseChecks({ url: t.url }), shape({ durationMs: 2000 }), { onResult: (r) => results.push(r) });
    clearTimeout(outage);
    clearTimeout(back);
    const check = report.checks[0]!;
    expect(check.requests).toBe(40);
    expect(check.failuresByReason['connection-refused']?.count).toBeGreaterThanOrEqual(8);
    expect(check.failuresByReason['connection-refused']?.example).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect(check.timeline[1]).toMatchObject({ requests: 20, failures: 0 });
    // Results come as they happen: healthy, then failing, then healthy again.
    const states = results.map((r) => r.ok).filter((ok, i, all) => i === 0 || ok !== all[i - 1]);
    expect(states).toEqual([true, false, true]);
  });

  test('response assertions: JSON fields, body regex, headers, latency ceiling, each with its reason', async () => {
    const t = await target();
    t.state.delayMs = 20;
    const checks = parseChecks({
      checks: `
- name: good
  url: ${t.url}/health
  expect-status: 200
  body-regex: '"status":"ok"'
  json: ['$.status == "ok"', '$.checks.db.latencyMs < 10', '$.version exists']
  headers-match: { X-Version: '^1\\.2', Content-Type: null }
  max-latency: 1s
- name: json
  url: ${t.url}/health
  json: ['$.checks.db.latencyMs >= 5']
- name: body
  url: ${t.url}/health
  body-regex: '"status":"down"'
- name: header
  url: ${t.url}/health
  headers-match: { X-Version: '^2\\.' }
- name: missing-header
  url: ${t.url}/health
  headers-match: { X-Trace: null }
- name: slow
  url: ${t.url}/health
  max-latency: 5ms
- name: status
  url: ${t.url}/health
  expect-status: 204,300-399
`,
    });
    const report = await runProbe(checks, shape({ rate: undefined, requests: 2 }));
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.good).toMatchObject({ requests: 2, failures: 0 });
    expect(byName.json!.failuresByReason).toEqual({ json: { count: 2, example: '$.checks.db.latencyMs >= 5 failed: $.checks.db.latencyMs is 3' } });
    expect(byName.body!.failuresByReason).toEqual({ body: { count: 2, example: 'body (65 bytes) does not match /"status":"down"/' } });
    expect(byName.header!.failuresByReason).toEqual({ header: { count: 2, example: 'header X-Version is "1.2.3", does not match /^2\\./' } });
    expect(byName['missing-header']!.failuresByReason).toEqual({ header: { count: 2, example: 'header X-Trace is missing' } });
    expect(byName.slow!.failuresByReason.latency?.count).toBe(2);
    expect(byName.slow!.failuresByReason.latency?.example).toMatch(/^took \d+ms, over max-latency 5ms$/);
    expect(byName.status!.failuresByReason.status?.example).toBe('GET answered 200 OK, expected 204, 300-399');
    expect(report.overall).toMatchObject({ requests: 14, failures: 12 });
  });

  test('a request past the timeout fails with reason timeout, its latency the time waited', async () => {
    const t = await target();
    t.state.delayMs = 600;
    const report = await runProbe(parseChecks({ url: t.url }), shape({ rate: 5, timeoutMs: 200 }));
    const check = report.checks[0]!;
    expect(check.failuresByReason).toEqual({ timeout: { count: 5, example: 'no answer within 200ms' } });
    expect(check.latency.p50).toBeGreaterThanOrEqual(199);
    expect(check.latency.max).toBeLessThan(400);
  });

  test('an aborted probe stops sending and resolves with what it measured', async () => {
    const t = await target();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const progress: number[] = [];
    const report = await runProbe(parseChecks({ url: t.url }), shape({ durationMs: 5000 }), {
      signal: controller.signal,
      onProgress: (p) => progress.push(p.sent),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(report.overall.requests).toBeGreaterThanOrEqual(4);
    expect(report.overall.requests).toBeLessThanOrEqual(8);
    expect(progress).toEqual([]);
  });

  test('reports progress about once a second', async () => {
    const t = await target();
    const progress: Array<{ sent: number; completed: number }> = [];
    await runProbe(parseChecks({ url: t.url }), shape({ durationMs: 2200 }), { onProgress: (p) => progress.push(p) });
    expect(progress.length).toBe(2);
    expect(progress[0]!.sent).toBeGreaterThanOrEqual(19);
    expect(progress[1]!.completed).toBeGreaterThanOrEqual(39);
  });
});
