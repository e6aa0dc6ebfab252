import { createSender, type Outcome, type Sender } from './send';
import { schedule } from './shape';
import { CheckStats } from './stats';
import type { Check, LoadShape } from './types';

/** A send that leaves this much after its scheduled time counts as late (the prober's fault, not the target's). */
export const LATE_MS = 25;

/** One request's result as it happens, for live logs and fault-detection timing. */
export interface ProbeResult extends Outcome {
  check: string;
  /** When it was scheduled, ms since measuring began. */
  scheduledMs: number;
}

export interface CheckRun {
  stats: CheckStats;
  sender: Sender;
  sent: number;
  lateSends: number;
  slotWaits: number;
  droppedSends: number;
}

/**
 * Sends `check` on an open-loop schedule from `t0` (performance.now() time):
 * every send is due at t0 + i × interval whether or not earlier ones have
 * answered. With all `concurrency` slots busy a send waits for one (late,
 * its latency still counted from its scheduled time) and is dropped if it
 * waited longer than the timeout. Resolves when every send has finished.
 */
export function runCheck(
  check: Check,
  shape: LoadShape,
  t0: number,
  signal: AbortSignal | undefined,
  onResult: ((result: ProbeResult) => void) | undefined,
): { run: CheckRun; done: Promise<void> } {
  const { count, intervalMs } = schedule(shape);
  const sender = createSender(check, shape.concurrency);
  const run: CheckRun = { stats: new CheckStats(Math.ceil(shape.durationMs / 1000)), sender, sent: 0, lateSends: 0, slotWaits: 0, droppedSends: 0 };
  const pending = new Set<() => void>();
  const queue: number[] = []; // indices of sends waiting for a slot
  let head = 0;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));

  const finishIfIdle = () => {
    if (next >= count && pending.size === 0 && head >= queue.length) {
      sender.close();
      resolve();
    }
  };
  const start = (index: number) => {
    // Offsets from the index, not from float time, so a send lands in the second it was scheduled in.
    const offsetMs = index * intervalMs;
    const scheduledAt = t0 + offsetMs;
    run.sent++;
    if (performance.now() - scheduledAt > LATE_MS) run.lateSends++;
    const cancel = sender.send(scheduledAt, shape.timeoutMs, (outcome) => {
      pending.delete(cancel);
      run.stats.record(offsetMs, outcome);
      onResult?.({ ...outcome, check: check.name, scheduledMs: offsetMs });
      drain();
      finishIfIdle();
    });
    pending.add(cancel);
  };
  const drain = () => {
    while (pending.size < shape.concurrency && head < queue.length) {
      const index = queue[head++]!;
      if (performance.now() - (t0 + index * intervalMs) > shape.timeoutMs) run.droppedSends++;
      else start(index);
    }
    if (head >= queue.length) queue.length = head = 0;
  };
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const now = performance.now();
    for (; next < count && t0 + next * intervalMs <= now; next++) {
      if (pending.size < shape.concurrency) start(next);
      else {
        run.slotWaits++;
        queue.push(next);
      }
    }
    if (next < count) timer = setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
    else finishIfIdle();
  };
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    next = count;
    queue.length = head = 0;
    for (const cancel of pending) cancel();
    pending.clear();
    finishIfIdle();
  };
  if (signal?.aborted) stop();
  else {
    signal?.addEventListener('abort', stop, { once: true });
    void done.then(() => signal?.removeEventListener('abort', stop));
    tick();
  }
  return { run, done };
}
