import { createSender, type Outcome } from './send';
import type { Check } from './types';

/**
 * One request to `check` now, with its assertions; latency from the moment of
 * the call. What wait-for-ready and a deploy's quick health look use.
 */
export function probeOnce(check: Check, timeoutMs: number): Promise<Outcome> {
  const sender = createSender(check, 1);
  return new Promise((resolve) => {
    sender.send(performance.now(), timeoutMs, (outcome) => {
      sender.close();
      resolve(outcome);
    });
  });
}
