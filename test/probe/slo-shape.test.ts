import { describe, expect, test } from 'vitest';
import { InputError } from '@gantry/action-kit';
import { evaluateSlo, parseSlo, validateLoadShape, type LoadShape, type ProbeReport } from '@gantry/probe';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseSlo', () => {
  test('reads availability as a fraction and latencies in ms', () => {
    expect(parseSlo('availability >= 99.5%, p95 <= 300ms,\nP99<1s, max <= 1.5s')).toEqual([
      { metric: 'availability', op: '>=', target: 0.995, text: 'availability >= 99.5%' },
      { metric: 'p95', op: '<=', target: 300, text: 'p95 <= 300ms' },
      { metric: 'p99', op: '<', target: 1000, text: 'P99<1s' },
      { metric: 'max', op: '<=', target: 1500, text: 'max <= 1.5s' },
    ]);
  });

  const EXAMPLE = 'availability >= 99.5%, p95 <= 300ms, p99 <= 1s';
  test.each([
    ['', 'slo', `Input "slo" has the value "": expected at least one objective, such as ${EXAMPLE}.`],
    ['p95 < 300ms, p42 <= 1s', 'slo', `Input "slo" has the value "p42 <= 1s": expected objectives such as ${EXAMPLE}, on availability, p50, p90, p95, p99, max or mean.`],
    ['latency fast', 'gate', `Input "gate" has the value "latency fast": expected objectives such as ${EXAMPLE}, on availability, p50, p90, p95, p99, max or mean.`],
    ['availability >= 99.5', 'slo', 'Input "slo" has the value "availability >= 99.5": expected availability >= or > a percentage from 0% to 100%, such as availability >= 99.5%.'],
    ['availability <= 99%', 'slo', 'Input "slo" has the value "availability <= 99%": expected availability >= or > a percentage from 0% to 100%, such as availability >= 99.5%.'],
    ['availability >= 101%', 'slo', 'Input "slo" has the value "availability >= 101%": expected availability >= or > a percentage from 0% to 100%, such as availability >= 99.5%.'],
    ['p95 <= 300', 'slo', 'Input "slo" has the value "p95 <= 300": expected p95 <= or < a duration, such as p95 <= 300ms.'],
    ['p99 >= 1s', 'slo', 'Input "slo" has the value "p99 >= 1s": expected p99 <= or < a duration, such as p99 <= 300ms.'],
    ['p95 <= 300ms, p95 < 1s', 'slo', 'Input "slo" has the value "p95 < 1s": expected each metric once (p95 is given twice).'],
  ])('refuses %j', (text, input, message) => {
    expect(messageOf(() => parseSlo(text, input))).toBe(message);
  });
});

describe('evaluateSlo', () => {
  const overall: ProbeReport['overall'] = {
    requests: 1000,
    failures: 9,
    availability: 0.991,
    latency: { p50: 120, p90: 280, p95: 412.4, p99: 900, max: 1400, mean: 150 },
  };
  test('says which objective failed and by how much', () => {
    const result = evaluateSlo(parseSlo('availability >= 99.5%, p95 <= 300ms, p99 <= 1s, max < 1.4s, p50 <= 120ms'), overall);
    expect(result.pass).toBe(false);
    expect(result.objectives.map((o) => [o.metric, o.actual, o.pass, o.margin])).toEqual([
      ['availability', 0.991, false, 'availability 99.1% is 0.4 points under 99.5%'],
      ['p95', 412.4, false, 'p95 412ms is 112ms over 300ms'],
      ['p99', 900, true, 'p99 900ms is 100ms under 1s'],
      ['max', 1400, false, 'max 1.4s is exactly 1.4s'],
      ['p50', 120, true, 'p50 120ms is exactly 120ms'],
    ]);
  });
  test('passes when every objective holds', () => {
    const result = evaluateSlo(parseSlo('availability > 99%, p99 <= 1s'), overall);
    expect(result).toMatchObject({ pass: true, objectives: [{ pass: true, margin: 'availability 99.1% is 0.1 points over 99%' }, { pass: true }] });
  });
});

describe('validateLoadShape', () => {
  const names = { duration: 'duration', rate: 'rate', timeout: 'timeout' };
  const good: LoadShape = { durationMs: 30_000, rate: 10, concurrency: 10, timeoutMs: 5000 };
  test('accepts a sound shape, by rate or by count', () => {
    expect(() => validateLoadShape(good, names)).not.toThrow();
    expect(() => validateLoadShape({ durationMs: 5000, requests: 3, concurrency: 1, timeoutMs: 5000 }, names)).not.toThrow();
  });
  test.each<[string, Partial<LoadShape>, string]>([
    ['a zero rate', { rate: 0 }, 'Input "rate" has the value "0": expected a rate in requests per second above 0.'],
    ['a negative rate', { rate: -5 }, 'Input "rate" has the value "-5": expected a rate in requests per second above 0.'],
    ['no rate and no count', { rate: undefined }, 'Input "rate" has the value "": expected a rate in requests per second above 0.'],
    ['a rate and a count', { requests: 5 }, 'Input "rate" has the value "10": expected either a rate or a request count, not both.'],
    ['an absurd rate', { rate: 50_000 }, 'Input "rate" has the value "50000": expected a rate of at most 10000 requests per second per check.'],
    ['a fractional count', { rate: undefined, requests: 2.5 }, 'Input "rate" has the value "2.5": expected a whole number of requests of at least 1.'],
    ['a duration shorter than the timeout', { durationMs: 2000 }, 'Input "duration" has the value "2s": expected a duration at least as long as the timeout (5s).'],
    ['a zero duration', { durationMs: 0 }, 'Input "duration" has the value "0ms": expected a duration above 0, such as 30s.'],
    ['a zero timeout', { timeoutMs: 0 }, 'Input "timeout" has the value "0ms": expected a timeout above 0, such as 5s.'],
    ['no concurrency', { concurrency: 0 }, 'Input "concurrency" has the value "0": expected a whole number of at least 1.'],
    ['under one request', { rate: 0.01, durationMs: 5000 }, 'Input "rate" has the value "0.01": expected at least one request in the duration (5s), a rate of at least 0.2 per second.'],
  ])('refuses %s', (_what, change, message) => {
    expect(messageOf(() => validateLoadShape({ ...good, ...change }, names))).toBe(message);
  });
  test('names the inputs it was given', () => {
    expect(messageOf(() => validateLoadShape({ ...good, durationMs: 1500 }, { duration: 'soak', rate: 'rps', timeout: 'request-timeout' }))).toBe(
      'Input "soak" has the value "1.5s": expected a duration at least as long as the request-timeout (5s).',
    );
  });
});
