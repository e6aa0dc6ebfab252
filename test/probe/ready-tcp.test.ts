import { afterEach, describe, expect, test } from 'vitest';
import { parseChecks, probeOnce, runProbe, waitForReady } from '@gantry/probe';
import { freePort, startTarget, startTcpTarget } from './servers';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe('waitForReady', () => {
  test('backs off until the first healthy answer', async () => {
    const t = await startTarget();
    stops.push(() => t.close());
    await t.down();
    const up = setTimeout(() => void t.up(), 600);
    const retries: number[] = [];
    const ready = await waitForReady(parseChecks({ url: t.url })[0]!, {
      timeoutMs: 5000,
      initialDelayMs: 50,
      maxDelayMs: 200,
      onRetry: ({ delayMs }) => retries.push(delayMs),
    });
    clearTimeout(up);
    expect(ready.ready).toBe(true);
    expect(ready.attempts).toBeGreaterThan(2);
    expect(ready.attempts).toBe(retries.length + 1);
    expect(retries.every((d) => d >= 0 && d <= 200)).toBe(true);
    expect(ready.elapsedMs).toBeGreaterThanOrEqual(550);
    expect(ready.elapsedMs).toBeLessThan(1500);
    expect(ready.lastFailure).toBeUndefined();
  });

  test('gives up at the timeout and says why', async () => {
    const port = await freePort();
    const ready = await waitForReady(parseChecks({ url: `http://127.0.0.1:${port}/` })[0]!, { timeoutMs: 500, initialDelayMs: 20, maxDelayMs: 100 });
    expect(ready).toMatchObject({ ready: false, lastFailure: { reason: 'connection-refused' } });
    expect(ready.lastFailure!.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(ready.elapsedMs).toBeGreaterThanOrEqual(450);
    expect(ready.elapsedMs).toBeLessThan(1000);
  });

  test('an unhealthy answer is not ready either; runProbe records readiness per check', async () => {
    const t = await startTarget();
    stops.push(() => t.close());
    t.state.mode = 'error';
    setTimeout(() => (t.state.mode = 'ok'), 300);
    const report = await runProbe(parseChecks({ url: t.url }), { durationMs: 500, rate: 10, concurrency: 2, timeoutMs: 500 }, {
      waitForReady: { timeoutMs: 3000, initialDelayMs: 50, maxDelayMs: 100 },
    });
    expect(report.checks[0]!.ready).toMatchObject({ ready: true });
    expect(report.checks[0]!.ready!.attempts).toBeGreaterThan(1);
    expect(report.checks[0]).toMatchObject({ requests: 5, failures: 0 });
  });
});

describe('TCP checks and probeOnce', () => {
  test('a listening port connects; a closed one is refused', async () => {
    const server = await startTcpTarget();
    stops.push(() => server.close());
    const closed = await freePort();
    const checks = parseChecks({ checks: `- tcp: 127.0.0.1:${server.port}\n- name: closed\n  tcp: 127.0.0.1:${closed}` });
    const report = await runProbe(checks, { durationMs: 1000, rate: 10, concurrency: 5, timeoutMs: 500 });
    expect(report.checks[0]).toMatchObject({ name: `127.0.0.1:${server.port}`, target: `tcp://127.0.0.1:${server.port}`, requests: 10, failures: 0 });
    expect(report.checks[1]).toMatchObject({
      name: 'closed',
      requests: 10,
      availability: 0,
      failuresByReason: { 'connection-refused': { count: 10, example: `connect ECONNREFUSED 127.0.0.1:${closed}` } },
    });
    expect(report.overall).toMatchObject({ requests: 20, failures: 10, availability: 0.5 });
  });

  test('probeOnce answers one request with status and latency', async () => {
    const t = await startTarget();
    stops.push(() => t.close());
    t.state.delayMs = 40;
    const ok = await probeOnce(parseChecks({ url: `${t.url}/health` })[0]!, 1000);
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(40);
    t.state.mode = 'error';
    expect(await probeOnce(parseChecks({ url: t.url })[0]!, 1000)).toMatchObject({ ok: false, status: 500, reason: 'status' });
  });
});
