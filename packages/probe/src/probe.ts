import { monitorEventLoopDelay } from 'node:perf_hooks';
import { formatMs } from './format';
import { waitForReady } from './ready';
import { LATE_MS, runCheck, type CheckRun, type ProbeResult } from './run-check';
import { validateLoadShape } from './shape';
import { latencyHistogram, summarize } from './stats';
import type { Check, LoadShape, ProbeReport, ReadyResult, WaitForReadyOptions } from './types';

const LAG_RESOLUTION_MS = 10;

export interface ProbeProgress {
  elapsedMs: number;
  durationMs: number;
  sent: number;
  completed: number;
  failures: number;
}

export interface RunProbeOptions {
  /** Aborting stops sending, abandons requests in flight and resolves with what was measured. */
  signal?: AbortSignal;
  /** Called about once a second while measuring. */
  onProgress?: (progress: ProbeProgress) => void;
  /** Called for every request as it finishes. */
  onResult?: (result: ProbeResult) => void;
  /** Wait for each check to answer healthily before measuring; the outcome lands in its report's `ready`. */
  waitForReady?: WaitForReadyOptions;
}

/**
 * Probes every check at the same time with the load shape, open loop (see
 * runCheck), and reports latency from each send's scheduled time, availability,
 * failures by reason, a per-second timeline and whether the prober itself fell
 * behind (selfOverload). Throws InputError on an unsound shape.
 */
export async function runProbe(checks: Check[], shape: LoadShape, options: RunProbeOptions = {}): Promise<ProbeReport> {
  validateLoadShape(shape, { duration: 'duration', rate: 'rate', timeout: 'timeout' });
  const ready = new Map<string, ReadyResult>();
  if (options.waitForReady) {
    const readyOptions = { ...options.waitForReady, signal: options.signal };
    await Promise.all(checks.map(async (c) => ready.set(c.name, await waitForReady(c, readyOptions))));
  }
  const startedAt = new Date().toISOString();
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const t0 = performance.now();
  const runs = checks.map((check) => runCheck(check, shape, t0, options.signal, options.onResult));
  const progress = options.onProgress
    ? setInterval(() => options.onProgress!(progressOf(runs.map((r) => r.run), performance.now() - t0, shape.durationMs)), 1000)
    : undefined;
  try {
    await Promise.all(runs.map((r) => r.done));
  } finally {
    if (progress) clearInterval(progress);
    lag.disable();
  }
  const durationMs = performance.now() - t0;
  const reports = runs.map(({ run }, i) => {
    const report = run.stats.report(checks[i]!.name, run.sender.target, run.sender.certificate);
    const readiness = ready.get(checks[i]!.name);
    return readiness ? { ...report, ready: readiness } : report;
  });
  const overall = latencyHistogram();
  for (const { run } of runs) overall.add(run.stats.histogram);
  const requests = reports.reduce((n, r) => n + r.requests, 0);
  const failures = reports.reduce((n, r) => n + r.failures, 0);
  // The monitor records whole timer intervals; the lag is what exceeds its resolution.
  const maxLagMs = lag.count > 0 ? Math.max(0, Math.round((lag.max / 1e6 - LAG_RESOLUTION_MS) * 100) / 100) : 0;
  return {
    startedAt,
    durationMs: Math.round(durationMs),
    checks: reports,
    overall: { requests, failures, availability: requests === 0 ? 1 : (requests - failures) / requests, latency: summarize(overall) },
    selfOverload: selfOverload(runs.map((r) => r.run), shape, maxLagMs),
  };
}

function progressOf(runs: CheckRun[], elapsedMs: number, durationMs: number): ProbeProgress {
  let sent = 0;
  let completed = 0;
  let failures = 0;
  for (const run of runs) {
    sent += run.sent;
    completed += run.stats.requests;
    failures += run.stats.failures;
  }
  return { elapsedMs: Math.round(elapsedMs), durationMs, sent, completed, failures };
}

function selfOverload(runs: CheckRun[], shape: LoadShape, maxLagMs: number): ProbeReport['selfOverload'] {
  const sum = (key: 'sent' | 'lateSends' | 'slotWaits' | 'droppedSends') => runs.reduce((n, r) => n + r[key], 0);
  const sent = sum('sent');
  const lateSends = sum('lateSends');
  const droppedSends = sum('droppedSends');
  const slotWaits = sum('slotWaits');
  const result = { lateSends, droppedSends, maxLagMs };
  // A stray late send (a GC pause) is noise; a percent of them, or any drop, is worth saying.
  if (droppedSends === 0 && lateSends <= sent / 100) return result;
  const causes: string[] = [];
  if (slotWaits > 0) causes.push(`${slotWaits} sends found all ${shape.concurrency} concurrency slots busy (raise concurrency, or lower the rate)`);
  if (maxLagMs > LATE_MS) causes.push(`this runner's event loop lagged up to ${formatMs(maxLagMs)}`);
  const dropped = droppedSends > 0 ? `, and ${droppedSends} were dropped after waiting ${formatMs(shape.timeoutMs)} for a free slot` : '';
  const note =
    `The prober could not keep up: ${lateSends} of ${sent + droppedSends} sends left more than ${LATE_MS}ms late${dropped}` +
    (causes.length ? ` (${causes.join('; ')})` : '') +
    '. Latency still counts from the scheduled time; dropped sends are not counted against the target.';
  return { ...result, note };
}
