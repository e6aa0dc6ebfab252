import { InputError } from '@gantry/action-kit';
import { formatMs } from './format';
import type { LoadShape } from './types';

/** Most requests per second per check one runner is asked to send. */
export const MAX_RATE = 10_000;

/** The input names a load shape came from, for the errors. */
export interface LoadShapeInputNames {
  duration: string;
  rate: string;
  timeout: string;
  /** Default "concurrency". */
  concurrency?: string;
  /** Where `requests` came from; default the rate's input. */
  requests?: string;
}

/**
 * Refuses a load shape that cannot be run as asked: no or a non-positive
 * rate (or request count), a duration shorter than the per-request timeout,
 * fewer than one request in the duration, concurrency below 1. Throws
 * InputError naming the input; returns nothing when the shape is sound.
 */
export function validateLoadShape(shape: LoadShape, names: LoadShapeInputNames): void {
  const { durationMs, rate, requests, timeoutMs, concurrency } = shape;
  const requestsName = names.requests ?? names.rate;
  if (rate !== undefined && requests !== undefined) {
    throw new InputError(names.rate, String(rate), 'either a rate or a request count, not both');
  }
  if (rate === undefined && requests === undefined) {
    throw new InputError(names.rate, '', 'a rate in requests per second above 0');
  }
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new InputError(names.rate, String(rate), 'a rate in requests per second above 0');
  }
  if (rate !== undefined && rate > MAX_RATE) {
    throw new InputError(names.rate, String(rate), `a rate of at most ${MAX_RATE} requests per second per check`);
  }
  if (requests !== undefined && !(Number.isInteger(requests) && requests >= 1)) {
    throw new InputError(requestsName, String(requests), 'a whole number of requests of at least 1');
  }
  if (!(Number.isFinite(durationMs) && durationMs > 0)) {
    throw new InputError(names.duration, formatMs(durationMs), 'a duration above 0, such as 30s');
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InputError(names.timeout, formatMs(timeoutMs), 'a timeout above 0, such as 5s');
  }
  if (durationMs < timeoutMs) {
    throw new InputError(names.duration, formatMs(durationMs), `a duration at least as long as the ${names.timeout} (${formatMs(timeoutMs)})`);
  }
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InputError(names.concurrency ?? 'concurrency', String(concurrency), 'a whole number of at least 1');
  }
  if (rate !== undefined && (rate * durationMs) / 1000 < 1) {
    throw new InputError(names.rate, String(rate), `at least one request in the ${names.duration} (${formatMs(durationMs)}), a rate of at least ${1000 / durationMs} per second`);
  }
}

/** The number of sends a validated shape asks for, per check, and the interval between them. */
export function schedule(shape: LoadShape): { count: number; intervalMs: number } {
  const count = shape.requests ?? Math.floor(((shape.rate ?? 0) * shape.durationMs) / 1000);
  return { count, intervalMs: shape.requests !== undefined ? shape.durationMs / shape.requests : 1000 / shape.rate! };
}
