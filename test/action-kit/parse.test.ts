import { describe, expect, test } from 'vitest';
import {
  InputError,
  InputReader,
  errorMessage,
  parseBoolean,
  parseDuration,
  parseInteger,
  parseList,
  parseMap,
  parseNumber,
  detectEnvironment,
  envInputSource,
} from '@gantry/action-kit';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [' 2s ', 2000],
  ])('%s is %i ms', (value, ms) => {
    expect(parseDuration('timeout', value)).toBe(ms);
  });

  test.each(['', '30', 's', '5 m', '-5s', '5x', '5m foo'])('%j is refused, naming the input and value', (value) => {
    expect(() => parseDuration('step-timeout', value)).toThrow(InputError);
    expect(() => parseDuration('step-timeout', value)).toThrow(
      `Input "step-timeout" has the value ${JSON.stringify(value)}: expected a duration such as 500ms, 30s, 5m, 1h or 1m30s.`,
    );
  });
});

describe('scalars', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
  ])('boolean %s', (v, b) => expect(parseBoolean('x', v)).toBe(b));

  test.each(['yes', '1', 'on', ''])('boolean %j refused', (v) => {
    expect(() => parseBoolean('cache', v)).toThrow(/Input "cache" has the value .*: expected true or false\./);
  });

  test('integer with range', () => {
    expect(parseInteger('n', '42', { min: 1 })).toBe(42);
    expect(() => parseInteger('n', '0', { min: 1 })).toThrow('expected an integer of at least 1.');
    expect(() => parseInteger('n', '4.5')).toThrow('expected an integer.');
  });

  test('number accepts a trailing percent and checks its range', () => {
    expect(parseNumber('coverage-threshold', '80%', { min: 0, max: 100 })).toBe(80);
    expect(parseNumber('coverage-threshold', '.5')).toBe(0.5);
    expect(() => parseNumber('coverage-threshold', 'eighty', { min: 0, max: 100 })).toThrow(
      'Input "coverage-threshold" has the value "eighty": expected a number from 0 to 100.',
    );
    expect(() => parseNumber('coverage-threshold', '101', { min: 0, max: 100 })).toThrow(/from 0 to 100/);
  });
});

describe('lists and maps', () => {
  test('list splits on newlines and commas, trims, drops empties', () => {
    expect(parseList('a, b\n\n c ,\n')).toEqual(['a', 'b', 'c']);
    expect(parseList('')).toEqual([]);
  });

  test('map keeps = inside values', () => {
    expect(parseMap('env', 'A=1\nB = x=y, C=')).toEqual({ A: '1', B: 'x=y', C: '' });
  });

  test.each(['novalue', '=1', '1A=2'])('map item %j refused', (item) => {
    expect(() => parseMap('env', item)).toThrow(`Input "env" has the value ${JSON.stringify(item)}: expected KEY=VALUE pairs`);
  });
});

describe('InputReader', () => {
  const reader = (values: Record<string, string>) => new InputReader((name) => values[name] ?? '');

  test('empty means not given', () => {
    const r = reader({ a: '', b: '3' });
    expect(r.integer('a', 7)).toBe(7);
    expect(r.integer('b', 7)).toBe(3);
    expect(r.optional('a')).toBeUndefined();
    expect(r.duration('a', undefined)).toBeUndefined();
    expect(() => r.required('a', 'a path')).toThrow('Input "a" has the value "": expected a path.');
  });

  test('choice names the allowed values', () => {
    expect(() => reader({ toolchain: 'cobol' }).choice('toolchain', ['node', 'go'], 'node')).toThrow(
      'Input "toolchain" has the value "cobol": expected one of node, go.',
    );
  });

  test('envInputSource follows the runner naming: spaces to _, hyphens kept, trimmed', () => {
    const source = envInputSource({ 'INPUT_STEP-TIMEOUT': ' 5s ', INPUT_MY_INPUT: 'x' });
    expect(source('step-timeout')).toBe('5s');
    expect(source('my input')).toBe('x');
  });
});

describe('helpers', () => {
  test('errorMessage never drops a thrown non-Error', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(new AggregateError([new Error('a'), 'b'], 'two'))).toBe('two\n  - a\n  - b');
  });

  test('detectEnvironment: GitHub only with the runtime token the runner gives', () => {
    expect(detectEnvironment({ GITHUB_ACTIONS: 'true' }).onGitHub).toBe(false);
    expect(detectEnvironment({ GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 't' }).onGitHub).toBe(true);
    const e = detectEnvironment({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9', RUNNER_OS: 'Linux' });
    expect(e.runUrl).toBe('https://github.com/o/r/actions/runs/9');
    expect(e.os).toBe('Linux');
    expect(e.stepId).toBe('local');
    expect(detectEnvironment({ GITHUB_ACTION: '__owner/gantry step:1' }).stepId).toBe('__owner_gantry_step_1');
  });
});
