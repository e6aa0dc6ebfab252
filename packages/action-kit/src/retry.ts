/**
 * The one retry helper: bounded attempts with exponential backoff and full
 * jitter, for faults that are safe to retry (a 5xx, a reset connection, a
 * target that is not ready yet). Callers say what is retryable.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt, before jitter. */
  baseDelayMs: number;
  /** Cap on any one delay. */
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt (no attempt starts after it). */
  deadlineMs?: number;
  /** Whether an error is worth another attempt; default: every error. */
  retryable?: (error: unknown) => boolean;
  /** A delay the fault asked for (e.g. Retry-After), in ms, used instead of the backoff. */
  requestedDelayMs?: (error: unknown) => number | undefined;
  /** Called before each wait, to log the retry. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** 0..1 → fraction of the delay; Math.random by default, fixed in tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

/** The backoff before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential cap. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (options.random ?? Math.random)());
}

/** Rejects when `signal` aborts; resolves after `ms` otherwise. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` until it succeeds, an error is not retryable, the
 * attempts run out or the deadline passes; then rethrows the last error.
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.attempts || options.signal?.aborted) throw error;
      if (options.retryable && !options.retryable(error)) throw error;
      let delayMs = options.requestedDelayMs?.(error) ?? backoffDelay(attempt, options);
      delayMs = Math.min(delayMs, options.maxDelayMs);
      if (options.deadlineMs !== undefined) {
        const left = options.deadlineMs - (now() - started);
        if (left <= 0) throw error;
        delayMs = Math.min(delayMs, left);
      }
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}
