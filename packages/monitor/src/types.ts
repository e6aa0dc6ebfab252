import type { FailureReason } from '@gantry/probe';

/** One check's result in one run, as the history keeps it. */
export interface CheckEntry {
  name: string;
  target: string;
  /** `down` when the check failed its objectives in this run. */
  status: 'up' | 'down';
  /** 0..1. */
  availability: number;
  requests: number;
  failures: number;
  p50: number;
  p95: number;
  p99: number;
  failuresByReason: Partial<Record<FailureReason, number>>;
  /** The objectives it failed, as written (`p95 <= 300ms`). */
  failed?: string[];
}

/** One run of the monitor. */
export interface HistoryEntry {
  /** ISO time the run started measuring. */
  time: string;
  checks: CheckEntry[];
}

/** An outage in progress: kept so the next run knows what it already said. */
export interface OutageRecord {
  /** ISO time of the first failing run of this outage. */
  since: string;
  /** The open issue, when issues are handled. */
  issue?: number;
  /** Failure reasons last reported (in the issue or its last comment), sorted. */
  reasons: string[];
  /** Objectives missed as last reported, sorted. */
  missed: string[];
  /** ISO time of the issue or its last comment. */
  lastNoticeAt?: string;
}

/** The whole record, oldest entry first. */
export interface History {
  version: 1;
  entries: HistoryEntry[];
  /** Open outages by check name. */
  outages: Record<string, OutageRecord>;
}

/** How much history to keep. */
export interface HistoryLimits {
  maxAgeMs: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { maxAgeMs: 30 * 24 * 3_600_000, maxEntries: 9000 };
