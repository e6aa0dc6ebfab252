import { retry } from '@gantry/action-kit/retry';
import { probeOnce } from './probe-once';
import type { Outcome } from './send';
import type { Check, ReadyResult, WaitForReadyOptions } from './types';

class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(readonly outcome: Outcome) {
    super(outcome.message ?? outcome.reason ?? 'not ready');
  }
}

/** Shortest time given to an attempt, even right at the deadline. */
const MIN_ATTEMPT_MS = 50;

/**
 * Probes `check` until its first healthy answer or `timeoutMs`, waiting
 * between attempts with exponential backoff and full jitter (the one retry
 * helper). Never throws for an unhealthy target: `ready: false` says why.
 */
export async function waitForReady(
  check: Check,
  options: WaitForReadyOptions & {
    signal?: AbortSignal;
    onRetry?: (info: { attempt: number; delayMs: number; message: string }) => void;
  },
): Promise<ReadyResult> {
  const started = performance.now();
  const attemptTimeoutMs = options.attemptTimeoutMs ?? Math.min(options.timeoutMs, 5000);
  let attempts = 0;
  let last: Outcome | undefined;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await retry(
      async (attempt) => {
        attempts = attempt;
        const left = options.timeoutMs - (performance.now() - started);
        last = await probeOnce(check, Math.max(MIN_ATTEMPT_MS, Math.min(attemptTimeoutMs, left)));
        if (!last.ok) throw new NotReadyError(last);
      },
      {
        attempts: Number.MAX_SAFE_INTEGER,
        baseDelayMs: options.initialDelayMs,
        maxDelayMs: options.maxDelayMs,
        deadlineMs: options.timeoutMs,
        signal: options.signal,
        retryable: (error) => error instanceof NotReadyError,
        onRetry: ({ attempt, delayMs, error }) => options.onRetry?.({ attempt, delayMs, message: (error as Error).message }),
      },
    );
    return { ready: true, attempts, elapsedMs: elapsed() };
  } catch {
    const lastFailure = last && !last.ok ? { reason: last.reason ?? 'other', message: last.message ?? 'not ready' } : undefined;
    return { ready: false, attempts, elapsedMs: elapsed(), ...(lastFailure && { lastFailure }) };
  }
}
