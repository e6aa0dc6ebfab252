import { InputError } from '@gantry/action-kit';

/** Field parsers for one entry of the `checks` input; each names the input and says which check. */

export interface ItemContext {
  /** The action input the value came from: "url" or "checks". */
  input: string;
  /** " (in check 2)" or " (in check \"api\")", appended to what was expected. */
  where: string;
}

export function parseItemUrl(value: unknown, ctx: ItemContext, expected: string): URL {
  const text = typeof value === 'string' ? value.trim() : String(value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(ctx.input, text, `${expected}${ctx.where}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new InputError(ctx.input, text, `${expected}${ctx.where}`);
  }
  return url;
}

/** `host:port`, `[::1]:port`. */
export function parseTcpTarget(value: unknown, ctx: ItemContext): { host: string; port: number } {
  const text = String(value).trim();
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) throw new InputError(ctx.input, text, `host:port with a port from 1 to 65535${ctx.where}`);
  return { host: (m[1] ?? m[2])!, port };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `300ms`, `1s`, `1.5s`; a bare number is refused as its unit would be a guess. */
export function parseItemDuration(value: unknown, ctx: ItemContext): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m || Number(m[1]) <= 0) throw new InputError(ctx.input, text, `a duration such as 300ms or 1s${ctx.where}`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

export function parseItemRegex(value: unknown, ctx: ItemContext): RegExp {
  const source = String(value);
  try {
    return new RegExp(source);
  } catch {
    throw new InputError(ctx.input, source, `a valid regular expression${ctx.where}`);
  }
}

/** A mapping of header names to scalar values; values are never echoed in errors (they may be tokens). */
export function parseItemHeaders(value: unknown, ctx: ItemContext): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(ctx.input, Array.isArray(value) ? 'a list' : String(value), `a mapping of header names to values${ctx.where}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || v === null || typeof v === 'object') {
      throw new InputError(ctx.input, name, `a header name with one text value${ctx.where}`);
    }
    headers[name] = String(v);
  }
  return headers;
}
