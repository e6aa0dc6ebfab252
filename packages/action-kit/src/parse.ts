import { InputError } from './errors';

/** Pure parsers for input values. Each names the input when it refuses. */

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
export function parseBoolean(name: string, value: string): boolean {
  const v = value.trim();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new InputError(name, value, 'true or false');
}

export function parseInteger(name: string, value: string, range: { min?: number; max?: number } = {}): number {
  const v = value.trim();
  if (!/^[+-]?\d+$/.test(v)) throw new InputError(name, value, `an integer${describeRange(range)}`);
  const n = Number(v);
  checkRange(name, value, n, range, 'an integer');
  return n;
}

export function parseNumber(name: string, value: string, range: { min?: number; max?: number } = {}): number {
  const v = value.trim().replace(/%$/, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)) throw new InputError(name, value, `a number${describeRange(range)}`);
  const n = Number(v);
  checkRange(name, value, n, range, 'a number');
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Durations as GitHub users write them: `500ms`, `30s`, `5m`, `1h`, or
 * compounds such as `1m30s`. A bare number is refused: its unit is a guess.
 */
export function parseDuration(name: string, value: string): number {
  const v = value.trim();
  const expected = 'a duration such as 500ms, 30s, 5m, 1h or 1m30s';
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(v)) throw new InputError(name, value, expected);
  let total = 0;
  for (const [, amount, , unit] of v.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit as string]!;
  }
  return Math.round(total);
}

/** Newline- or comma-separated, trimmed, empty items dropped. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `KEY=VALUE` per line or comma-separated; the value may itself hold `=`. */
export function parseMap(name: string, value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of parseList(value)) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(name, item, 'KEY=VALUE pairs, one per line or comma-separated');
    }
    map[key] = item.slice(eq + 1).trim();
  }
  return map;
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const v = value.trim();
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw new InputError(name, value, `one of ${choices.join(', ')}`);
}

function describeRange({ min, max }: { min?: number; max?: number }): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function checkRange(name: string, raw: string, n: number, range: { min?: number; max?: number }, what: string): void {
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new InputError(name, raw, `${what}${describeRange(range)}`);
  }
}
