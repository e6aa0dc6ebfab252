/**
 * The probe library's public shapes: what the smoke-monitor action and, later,
 * deploy (keep a new version or roll back) consume. Keep them stable.
 */

export type FailureReason =
  | 'status'
  | 'timeout'
  | 'connection-refused'
  | 'connection-reset'
  | 'dns'
  | 'body'
  | 'json'
  | 'header'
  | 'latency'
  | 'tls'
  | 'other';

export interface JsonAssertion {
  /** JSONPath-like, `$.a.b[0].c`. */
  path: string;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'exists';
  /** Compared as JSON (number, string, boolean, null); absent for `exists`. */
  value?: unknown;
  /** As written, for messages. */
  text: string;
}

export interface HeaderAssertion {
  name: string;
  /** Regex source the header value must match; absent means "present". */
  pattern?: string;
}

export interface HttpCheck {
  kind: 'http';
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Accepted status codes, as inclusive ranges; default [[200, 399]]. */
  expectStatus: Array<[number, number]>;
  bodyRegex?: string;
  json: JsonAssertion[];
  responseHeaders: HeaderAssertion[];
  /** A response slower than this is a failure with reason `latency`. */
  maxLatencyMs?: number;
  /** HTTPS only: fail (reason `tls`) when the certificate expires in fewer days. */
  minCertDays?: number;
  /** HTTPS only: accept a certificate not signed by a known CA (self-signed targets). */
  insecureTls?: boolean;
}

export interface TcpCheck {
  kind: 'tcp';
  name: string;
  host: string;
  port: number;
  maxLatencyMs?: number;
}

export type Check = HttpCheck | TcpCheck;

/** How much to send. Open loop: sends are scheduled at `rate` whether or not earlier ones answered. */
export interface LoadShape {
  durationMs: number;
  /** Requests per second, per check. Exactly one of rate and requests. */
  rate?: number;
  /** Total requests per check, spread evenly over durationMs. */
  requests?: number;
  /** Most requests in flight per check; a send that finds none free counts as self-overload. */
  concurrency: number;
  timeoutMs: number;
}

export interface WaitForReadyOptions {
  timeoutMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Longest wait for one attempt's answer; default the smaller of timeoutMs and 5 s. */
  attemptTimeoutMs?: number;
}

export interface ReadyResult {
  ready: boolean;
  attempts: number;
  elapsedMs: number;
  /** Why the last attempt failed, when not ready. */
  lastFailure?: { reason: FailureReason; message: string };
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface TimelineBucket {
  /** Seconds since the start of measuring. */
  second: number;
  requests: number;
  failures: number;
  p50: number;
  p95: number;
}

export interface CheckReport {
  name: string;
  target: string;
  requests: number;
  successes: number;
  failures: number;
  /** 0..1; 1 when no request was due. */
  availability: number;
  /** Latency of all completed or timed-out requests, ms, measured from the scheduled send time. */
  latency: LatencySummary;
  failuresByReason: Partial<Record<FailureReason, { count: number; example: string }>>;
  timeline: TimelineBucket[];
  tls?: { daysToExpiry: number; validTo: string; subject: string };
  ready?: ReadyResult;
}

export interface ProbeReport {
  startedAt: string;
  durationMs: number;
  checks: CheckReport[];
  overall: { requests: number; failures: number; availability: number; latency: LatencySummary };
  /**
   * Sends that went out late or were dropped because the prober itself was
   * overloaded (no free concurrency slot, event-loop lag): not the target's fault.
   */
  selfOverload: { lateSends: number; droppedSends: number; maxLagMs: number; note?: string };
}

export interface SloObjective {
  metric: 'availability' | 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'mean';
  op: '>=' | '>' | '<=' | '<';
  /** availability: 0..1; latencies: ms. */
  target: number;
  text: string;
}

export interface SloResult {
  pass: boolean;
  objectives: Array<SloObjective & { actual: number; pass: boolean; /** How far from the target, in the metric's unit, as text. */ margin: string }>;
}
