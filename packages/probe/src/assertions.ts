import type { HeaderAssertion, JsonAssertion } from './types';

/**
 * The response assertions of an HTTP check: expected status ranges, JSON
 * field assertions on a small JSONPath subset and response-header patterns.
 * Parsers return undefined on bad text; callers turn that into an InputError
 * naming their input.
 */

const PATH = String.raw`\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\["[^"]*"\]|\['[^']*'\])*`;
const COMPARISON = new RegExp(String.raw`^(${PATH})\s*(==|!=|<=|>=|<|>)\s*(.+?)$`);
const EXISTS = new RegExp(String.raw`^(${PATH})\s+exists$`);
const SEGMENT = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;

export type PathSegment = string | number;

/** `$.a.b[0]["c d"]` → ['a', 'b', 0, 'c d']. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const m of path.slice(1).matchAll(SEGMENT)) {
    segments.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!);
  }
  return segments;
}

/** `$.status == "ok"`, `$.count >= 3`, `$.id exists`; the value is JSON. Undefined when malformed. */
export function parseJsonAssertion(text: string): JsonAssertion | undefined {
  const t = text.trim();
  const exists = EXISTS.exec(t);
  if (exists) return { path: exists[1]!, op: 'exists', text: t };
  const m = COMPARISON.exec(t);
  if (!m) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(m[3]!);
  } catch {
    return undefined;
  }
  const op = m[2] as JsonAssertion['op'];
  if (op !== '==' && op !== '!=' && typeof value !== 'number' && typeof value !== 'string') return undefined;
  return { path: m[1]!, op, value, text: t };
}

function lookup(doc: unknown, segments: PathSegment[]): { found: boolean; value?: unknown } {
  let current: unknown = doc;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return { found: false };
    if (!Object.hasOwn(current, segment)) return { found: false };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

function same(a: unknown, b: unknown): boolean {
  if (a === null || typeof a !== 'object') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function ordered(actual: unknown, op: JsonAssertion['op'], expected: unknown): boolean {
  if (typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
  const a = actual as number | string;
  const e = expected as number | string;
  if (op === '<') return a < e;
  if (op === '<=') return a <= e;
  if (op === '>') return a > e;
  return a >= e;
}

/** Undefined when the assertion holds on `doc`, else why not. */
export function checkJsonAssertion(doc: unknown, assertion: JsonAssertion, segments: PathSegment[]): string | undefined {
  const { found, value } = lookup(doc, segments);
  let holds: boolean;
  if (assertion.op === 'exists') holds = found;
  else if (assertion.op === '==') holds = found && same(value, assertion.value);
  else if (assertion.op === '!=') holds = !found || !same(value, assertion.value);
  else holds = found && ordered(value, assertion.op, assertion.value);
  if (holds) return undefined;
  const actual = found ? truncate(JSON.stringify(value) ?? 'undefined', 60) : 'missing';
  return `${assertion.text} failed: ${assertion.path} is ${actual}`;
}

/** "200,204,300-399" (or a number, or a list of either) → inclusive ranges; undefined when malformed. */
export function parseStatusRanges(value: unknown): Array<[number, number]> | undefined {
  const items = Array.isArray(value) ? value : typeof value === 'number' ? [value] : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.length === 0) return undefined;
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(String(item));
    if (!m) return undefined;
    const low = Number(m[1]);
    const high = Number(m[2] ?? m[1]);
    if (low < 100 || high > 599 || low > high) return undefined;
    ranges.push([low, high]);
  }
  return ranges;
}

export function statusAccepted(status: number, ranges: Array<[number, number]>): boolean {
  for (const [low, high] of ranges) if (status >= low && status <= high) return true;
  return false;
}

/** "200, 204, 300-399" as the user would write the set. */
export function describeStatusRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}

/** Undefined when the header assertion holds, else why not. `pattern` is compiled by the caller. */
export function checkHeader(
  headers: Record<string, string | string[] | undefined>,
  assertion: HeaderAssertion,
  pattern: RegExp | undefined,
): string | undefined {
  const raw = headers[assertion.name.toLowerCase()];
  if (raw === undefined) return `header ${assertion.name} is missing`;
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (!pattern || pattern.test(value)) return undefined;
  return `header ${assertion.name} is ${JSON.stringify(truncate(value, 60))}, does not match /${assertion.pattern}/`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
