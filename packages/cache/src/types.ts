/** The primary key and the ordered fallback prefixes of one cache entry. */
export interface CacheKeys {
  key: string;
  restoreKeys: string[];
}

/** What goes into a dependency cache key. */
export interface CacheKeyParts {
  /** e.g. "npm", "pnpm", "pip". */
  toolchain: string;
  /** e.g. RUNNER_OS ("Linux"). */
  os: string;
  /** e.g. RUNNER_ARCH ("X64"). */
  arch: string;
  /** Exact runtime version, e.g. "node-24.21.0". */
  runtime: string;
  /** From hashFiles over the lockfile(s). */
  lockHash: string;
  /** Free text to split caches the other parts do not tell apart. */
  suffix?: string;
}

/** `save` outcome: 'exists' when the key is already taken (entries are immutable). */
export type SaveOutcome = 'saved' | 'exists' | 'failed';

/**
 * Where cache entries live. Restore and save never throw for service or
 * archive failures: they log a warning and report a miss or 'failed'.
 */
export interface CacheStore {
  readonly kind: 'github' | 'local';
  /** Human text: "GitHub Actions cache service" or the local directory. */
  readonly location: string;
  /** Returns the key of the entry restored, or undefined on a miss. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<SaveOutcome>;
}

/** 'true' exact key, 'partial' a restore-key prefix matched, 'false' miss. */
export type CacheHit = 'true' | 'partial' | 'false';

export interface RestoreResult {
  hit: CacheHit;
  matchedKey?: string;
  durationMs: number;
}

export interface SaveResult {
  saved: boolean;
  /** One line for logs and summaries. */
  reason: string;
  durationMs: number;
}
