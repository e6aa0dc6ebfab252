import { describe, expect, test } from 'vitest';
import { backoffDelay, retry } from '@gantry/action-kit/retry';

/** A clock and sleep that record waits instead of waiting. */
function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return { waits, now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)) };
}

describe('retry', () => {
  test('retries until success with exponential backoff (jitter fixed at 1)', async () => {
    const time = fakeTime();
    let calls = 0;
    const value = await retry(
      async () => {
        if (++calls < 4) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 100, maxDelayMs: 250, random: () => 1, ...time },
    );
    expect(value).toBe('ok');
    expect(time.waits).toEqual([100, 200, 250]);
  });

  test('stops at the attempt limit and rethrows the last error', async () => {
    const time = fakeTime();
    let calls = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++calls}`)), { attempts: 3, baseDelayMs: 10, maxDelayMs: 10, ...time })).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  test('a non-retryable error is thrown at once', async () => {
    let calls = 0;
    const retryable = (e: unknown) => !(e instanceof TypeError);
    await expect(retry(async () => { calls++; throw new TypeError('bad'); }, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable })).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });

  test('a requested delay (Retry-After) replaces the backoff, capped; the deadline bounds the waits', async () => {
    const time = fakeTime();
    let calls = 0;
    const error = Object.assign(new Error('429'), { retryAfterMs: 5000 });
    await expect(
      retry(async () => { calls++; throw error; }, {
        attempts: 10, baseDelayMs: 10, maxDelayMs: 3000, deadlineMs: 4000,
        requestedDelayMs: (e) => (e as { retryAfterMs?: number }).retryAfterMs, ...time,
      }),
    ).rejects.toBe(error);
    expect(time.waits).toEqual([3000, 1000]);
    expect(calls).toBe(3);
  });

  test('onRetry sees each attempt and delay', async () => {
    const time = fakeTime();
    const seen: Array<[number, number]> = [];
    await retry(async (attempt) => { if (attempt < 3) throw new Error('x'); }, {
      attempts: 3, baseDelayMs: 8, maxDelayMs: 100, random: () => 0.5, ...time,
      onRetry: ({ attempt, delayMs }) => seen.push([attempt, delayMs]),
    });
    expect(seen).toEqual([[1, 4], [2, 8]]);
  });

  test('full jitter stays within [0, cap]', () => {
    for (let attempt = 1; attempt < 10; attempt++) {
      const d = backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 1000 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(1000, 50 * 2 ** (attempt - 1)));
    }
  });
});
