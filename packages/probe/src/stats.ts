import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { CertificateInfo, Outcome } from './send';
import type { CheckReport, FailureReason, LatencySummary, TimelineBucket } from './types';

/**
 * Latencies go into Node's built-in HDR histogram (perf_hooks.createHistogram,
 * a binding of HdrHistogram_c): microseconds, 3 significant digits, up to an hour.
 */
export function latencyHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function summarize(histogram: RecordableHistogram): LatencySummary {
  if (histogram.count === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const at = (p: number) => round(histogram.percentile(p) / 1000);
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: round(histogram.max / 1000), mean: round(histogram.mean / 1000) };
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Bucket {
  requests: number;
  failures: number;
  latencies: number[];
}

/** What one check's requests came to: counts, histogram, failures by reason and a per-second timeline. */
export class CheckStats {
  readonly histogram = latencyHistogram();
  requests = 0;
  successes = 0;
  failures = 0;
  private readonly reasons = new Map<FailureReason, { count: number; example: string }>();
  // Indexed by the second the request was scheduled in, so a stall shows where it began.
  private readonly buckets: Bucket[] = [];

  constructor(seconds: number) {
    for (let i = 0; i < seconds; i++) this.buckets.push({ requests: 0, failures: 0, latencies: [] });
  }

  record(scheduledOffsetMs: number, outcome: Outcome): void {
    this.requests++;
    this.histogram.record(Math.max(1, Math.round(outcome.latencyMs * 1000)));
    const second = Math.max(0, Math.floor(scheduledOffsetMs / 1000 + 1e-9));
    while (this.buckets.length <= second) this.buckets.push({ requests: 0, failures: 0, latencies: [] });
    const bucket = this.buckets[second]!;
    bucket.requests++;
    bucket.latencies.push(outcome.latencyMs);
    if (outcome.ok) {
      this.successes++;
      return;
    }
    this.failures++;
    bucket.failures++;
    const reason = outcome.reason ?? 'other';
    const seen = this.reasons.get(reason);
    if (seen) seen.count++;
    else this.reasons.set(reason, { count: 1, example: outcome.message ?? reason });
  }

  report(name: string, target: string, certificate: CertificateInfo | undefined): CheckReport {
    const timeline: TimelineBucket[] = this.buckets.map((b, second) => {
      const sorted = b.latencies.sort((x, y) => x - y);
      return { second, requests: b.requests, failures: b.failures, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
    });
    return {
      name,
      target,
      requests: this.requests,
      successes: this.successes,
      failures: this.failures,
      availability: this.requests === 0 ? 1 : this.successes / this.requests,
      latency: summarize(this.histogram),
      failuresByReason: Object.fromEntries(this.reasons),
      timeline,
      ...(certificate && { tls: certificate }),
    };
  }
}
