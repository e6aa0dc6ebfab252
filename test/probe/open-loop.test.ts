import { afterEach, describe, expect, test } from 'vitest';
import { parseChecks, runProbe, type ProbeResult } from '@gantry/probe';
import { startTarget, type Target } from './servers';

let t: Target | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Holds every request that arrives in [300 ms, 1300 ms) of the run until 1300 ms. */
function stallFrom300ms(target: Target): NodeJS.Timeout {
  return setTimeout(() => (target.state.stallUntil = Date.now() + 1000), 300);
}

describe('open loop: latency from the scheduled send time (no coordinated omission)', () => {
  test('a 1 s stall shows in every request scheduled during it, not just the one in flight', async () => {
    t = await startTarget();
    const stall = stallFrom300ms(t);
    const results: ProbeResult[] = [];
    const report = await runProbe(parseChecks({ url: t.url }), { durationMs: 2000, rate: 50, concurrency: 100, timeoutMs: 2000 }, { onResult: (r) => results.push(r) });
    clearTimeout(stall);
    const check = report.checks[0]!;
    expect(check).toMatchObject({ requests: 100, failures: 0 });
    // Sends kept going during the stall: the server saw all 100, on schedule.
    expect(t.received).toBe(100);
    // A request scheduled at s in the stall waits until 1300 ms: its latency is about 1300 − s.
    const stalled = results.filter((r) => r.scheduledMs >= 300 && r.scheduledMs < 1200);
    expect(stalled.length).toBe(45);
    for (const r of stalled) expect(r.latencyMs).toBeGreaterThan(1300 - r.scheduledMs - 60);
    expect(results.filter((r) => r.latencyMs >= 100).length).toBeGreaterThanOrEqual(40);
    // A closed-loop client would report one slow request in 100; here the tail and the timeline show the stall.
    expect(check.latency.p90).toBeGreaterThan(600);
    expect(check.latency.max).toBeGreaterThan(900);
    expect(check.timeline[0]!.p95).toBeGreaterThan(800);
    expect(check.timeline[1]!.p50).toBeLessThan(50);
    expect(report.selfOverload.droppedSends).toBe(0);
    expect(report.selfOverload.lateSends).toBeLessThanOrEqual(3);
  });

  test('with too few concurrency slots, sends wait (late, still timed from schedule) and the report blames the prober', async () => {
    t = await startTarget();
    const stall = stallFrom300ms(t);
    const results: ProbeResult[] = [];
    const report = await runProbe(parseChecks({ url: t.url }), { durationMs: 2000, rate: 50, concurrency: 2, timeoutMs: 2000 }, { onResult: (r) => results.push(r) });
    clearTimeout(stall);
    expect(report.checks[0]).toMatchObject({ requests: 100, failures: 0 });
    const stalled = results.filter((r) => r.scheduledMs >= 300 && r.scheduledMs < 1200);
    for (const r of stalled) expect(r.latencyMs).toBeGreaterThan(1300 - r.scheduledMs - 60);
    expect(report.selfOverload.lateSends).toBeGreaterThan(30);
    expect(report.selfOverload.droppedSends).toBe(0);
    const note = report.selfOverload.note ?? '';
    expect(note).toMatch(/^The prober could not keep up: \d+ of 100 sends left more than 25ms late \(\d+ sends found all 2 concurrency slots busy \(raise concurrency, or lower the rate\)/);
    expect(note).toMatch(/\. Latency still counts from the scheduled time; dropped sends are not counted against the target\.$/);
  });

  test('a send that waits longer than the timeout for a slot is dropped, not counted against the target', async () => {
    t = await startTarget();
    t.state.delayMs = 250;
    const report = await runProbe(parseChecks({ url: t.url }), { durationMs: 1000, rate: 20, concurrency: 1, timeoutMs: 300 });
    const { droppedSends, note } = report.selfOverload;
    expect(droppedSends).toBeGreaterThan(5);
    expect(report.overall.requests + droppedSends).toBe(20);
    expect(t.received).toBe(report.overall.requests);
    expect(note).toContain(`and ${droppedSends} were dropped after waiting 300ms for a free slot`);
  });
});
