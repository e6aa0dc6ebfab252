import type { CheckReport, FailureReason, ProbeReport } from '@gantry/probe';

export interface CheckSpec {
  name: string;
  requests?: number;
  failures?: number;
  p95?: number;
  reasons?: Partial<Record<FailureReason, number>>;
  seconds?: number;
}

/** A hand-made ProbeReport with the figures a test cares about; the rest consistent with them. */
export function makeReport(startedAt: string, specs: CheckSpec[], overload: Partial<ProbeReport['selfOverload']> = {}): ProbeReport {
  const checks: CheckReport[] = specs.map((s) => {
    const requests = s.requests ?? 100;
    const failures = s.failures ?? Object.values(s.reasons ?? {}).reduce((a, b) => a + b, 0);
    const p95 = s.p95 ?? 40;
    const failuresByReason: CheckReport['failuresByReason'] = {};
    for (const [reason, count] of Object.entries(s.reasons ?? {})) {
      failuresByReason[reason as FailureReason] = { count, example: `${reason} example on ${s.name}` };
    }
    return {
      name: s.name,
      target: `http://127.0.0.1:9/${s.name}`,
      requests,
      successes: requests - failures,
      failures,
      availability: requests === 0 ? 1 : (requests - failures) / requests,
      latency: { p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, max: p95 * 2, mean: p95 / 2 },
      failuresByReason,
      timeline: Array.from({ length: s.seconds ?? 3 }, (_, second) => ({ second, requests: 10, failures: 0, p50: p95 / 2, p95 })),
    };
  });
  const requests = checks.reduce((a, c) => a + c.requests, 0);
  const failures = checks.reduce((a, c) => a + c.failures, 0);
  return {
    startedAt,
    durationMs: 3000,
    checks,
    overall: { requests, failures, availability: requests ? (requests - failures) / requests : 1, latency: checks[0]!.latency },
    selfOverload: { lateSends: 0, droppedSends: 0, maxLagMs: 0, ...overload },
  };
}

/** Verdicts as the action derives them: down when anything failed. */
export function verdictsOf(report: ProbeReport): Record<string, { pass: boolean; failed: string[] }> {
  return Object.fromEntries(
    report.checks.map((c) => [c.name, { pass: c.failures === 0, failed: c.failures === 0 ? [] : ['availability >= 99%'] }]),
  );
}
