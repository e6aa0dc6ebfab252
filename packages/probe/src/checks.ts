import { InputError } from '@gantry/action-kit';
import { parse as parseYaml } from 'yaml';
import { parseJsonAssertion, parseStatusRanges } from './assertions';
import { parseItemDuration, parseItemHeaders, parseItemRegex, parseItemUrl, parseTcpTarget, type ItemContext } from './check-fields';
import type { Check, HeaderAssertion, HttpCheck, JsonAssertion, TcpCheck } from './types';

const HTTP_KEYS = [
  'name', 'url', 'method', 'headers', 'body', 'expect-status', 'body-regex', 'json', 'headers-match',
  'max-latency', 'min-cert-days', 'insecure-tls',
] as const;
const TCP_KEYS = ['name', 'tcp', 'max-latency'] as const;
const ALL_KEYS = [...HTTP_KEYS.slice(0, 2), 'tcp', ...HTTP_KEYS.slice(2)];
const URL_EXAMPLE = 'an absolute http:// or https:// URL such as https://example.com/health';

/**
 * The checks to probe, from the action's `url` (one HTTP check named after its
 * host and path) or `checks` (a YAML list) input, never both. `defaults`
 * fills what an HTTP check leaves out. Throws InputError naming the input and
 * the value on anything malformed, before any request is sent.
 */
export function parseChecks(input: { url?: string; checks?: string }, defaults: Partial<HttpCheck> = {}): Check[] {
  const url = input.url?.trim() ?? '';
  const text = input.checks?.trim() ?? '';
  if (url && text) throw new InputError('checks', text, 'either url or checks, not both');
  if (url) {
    const parsed = parseItemUrl(url, { input: 'url', where: '' }, URL_EXAMPLE);
    return [httpCheck({ url: parsed }, defaults)];
  }
  if (!text) throw new InputError('url', '', `${URL_EXAMPLE}, or a checks list`);
  let items: unknown;
  try {
    items = parseYaml(text);
  } catch (error) {
    throw new InputError('checks', text, `a YAML list of checks (${String((error as Error).message).split('\n')[0]!.replace(/:$/, '')})`);
  }
  if (!Array.isArray(items) || items.length === 0) {
    throw new InputError('checks', text, 'a YAML list of checks, each a URL or a mapping with url or tcp: host:port');
  }
  const checks = items.map((item, index) => parseItem(item, index + 1, defaults));
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.name)) throw new InputError('checks', check.name, 'a different name for each check (set name: on one of them)');
    seen.add(check.name);
  }
  return checks;
}

function parseItem(item: unknown, n: number, defaults: Partial<HttpCheck>): Check {
  if (typeof item === 'string') {
    return httpCheck({ url: parseItemUrl(item, { input: 'checks', where: ` (in check ${n})` }, URL_EXAMPLE) }, defaults);
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError('checks', String(item), `a URL or a mapping with url or tcp: host:port (in check ${n})`);
  }
  const fields = item as Record<string, unknown>;
  const name = fields.name === undefined || fields.name === null ? undefined : String(fields.name).trim();
  const ctx: ItemContext = { input: 'checks', where: ` (in check ${name ? JSON.stringify(name) : n})` };
  for (const key of Object.keys(fields)) {
    if (!ALL_KEYS.includes(key)) throw new InputError('checks', key, `one of the keys ${ALL_KEYS.join(', ')}${ctx.where}`);
  }
  if (fields.url !== undefined && fields.tcp !== undefined) {
    throw new InputError('checks', name || `check ${n}`, `either url or tcp in one check, not both${ctx.where}`);
  }
  if (fields.tcp !== undefined) return tcpCheck(fields, name, ctx, defaults);
  if (fields.url === undefined || fields.url === null || fields.url === '') {
    throw new InputError('checks', name || `check ${n}`, `a url or tcp: host:port in every check${ctx.where}`);
  }
  return httpCheck(httpFields(fields, ctx, name), defaults);
}

function tcpCheck(fields: Record<string, unknown>, name: string | undefined, ctx: ItemContext, defaults: Partial<HttpCheck>): TcpCheck {
  for (const key of Object.keys(fields)) {
    if (!(TCP_KEYS as readonly string[]).includes(key)) {
      throw new InputError('checks', key, `only the keys ${TCP_KEYS.join(', ')} in a tcp check${ctx.where}`);
    }
  }
  const { host, port } = parseTcpTarget(fields.tcp, ctx);
  const maxLatencyMs = fields['max-latency'] !== undefined ? parseItemDuration(fields['max-latency'], ctx) : defaults.maxLatencyMs;
  return { kind: 'tcp', name: name || `${host}:${port}`, host, port, ...(maxLatencyMs !== undefined && { maxLatencyMs }) };
}

type HttpFields = Partial<Omit<HttpCheck, 'url'>> & { url: URL };

function httpFields(fields: Record<string, unknown>, ctx: ItemContext, name: string | undefined): HttpFields {
  const out: HttpFields = { url: parseItemUrl(fields.url, ctx, URL_EXAMPLE) };
  if (name) out.name = name;
  if (fields.method !== undefined) {
    const method = String(fields.method).trim();
    if (!/^[A-Za-z]+$/.test(method)) throw new InputError('checks', method, `an HTTP method such as GET, HEAD or POST${ctx.where}`);
    out.method = method.toUpperCase();
  }
  if (fields.headers !== undefined) out.headers = parseItemHeaders(fields.headers, ctx);
  if (fields.body !== undefined && fields.body !== null) {
    if (typeof fields.body === 'object') {
      out.body = JSON.stringify(fields.body);
      out.headers = { 'content-type': 'application/json', ...out.headers };
    } else out.body = String(fields.body);
  }
  if (fields['expect-status'] !== undefined) {
    const ranges = parseStatusRanges(fields['expect-status']);
    if (!ranges) throw new InputError('checks', String(fields['expect-status']), `status codes and ranges such as 200,204,300-399${ctx.where}`);
    out.expectStatus = ranges;
  }
  if (fields['body-regex'] !== undefined) out.bodyRegex = parseItemRegex(fields['body-regex'], ctx).source;
  if (fields.json !== undefined) out.json = parseJsonList(fields.json, ctx);
  if (fields['headers-match'] !== undefined) out.responseHeaders = parseHeaderAssertions(fields['headers-match'], ctx);
  if (fields['max-latency'] !== undefined) out.maxLatencyMs = parseItemDuration(fields['max-latency'], ctx);
  if (fields['min-cert-days'] !== undefined) {
    const days = fields['min-cert-days'];
    if (!/^\d+$/.test(String(days).trim())) throw new InputError('checks', String(days), `a whole number of days${ctx.where}`);
    out.minCertDays = Number(String(days).trim());
  }
  if (fields['insecure-tls'] !== undefined) {
    const flag = String(fields['insecure-tls']).trim();
    if (!/^(true|false)$/i.test(flag)) throw new InputError('checks', flag, `true or false${ctx.where}`);
    out.insecureTls = flag.toLowerCase() === 'true';
  }
  return out;
}

function parseJsonList(value: unknown, ctx: ItemContext): JsonAssertion[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((text) => {
    const assertion = typeof text === 'string' ? parseJsonAssertion(text) : undefined;
    if (!assertion) {
      throw new InputError('checks', String(text), `a JSON assertion such as $.status == "ok", $.count >= 1 or $.id exists${ctx.where}`);
    }
    return assertion;
  });
}

function parseHeaderAssertions(value: unknown, ctx: ItemContext): HeaderAssertion[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('checks', String(value), `a mapping of header names to regular expressions${ctx.where}`);
  }
  return Object.entries(value as Record<string, unknown>).map(([name, pattern]) =>
    pattern === null || pattern === '' ? { name } : { name, pattern: parseItemRegex(pattern, ctx).source },
  );
}

/** An HttpCheck from parsed fields over the defaults; named after host and path unless named. */
function httpCheck(own: HttpFields, defaults: Partial<HttpCheck>): HttpCheck {
  const { url, ...rest } = own;
  const { kind: _kind, name: _name, url: _url, ...usable } = defaults;
  const check: HttpCheck = {
    kind: 'http',
    name: `${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    method: 'GET',
    expectStatus: [[200, 399]],
    json: [],
    responseHeaders: [],
    ...withoutUndefined(usable),
    ...withoutUndefined(rest),
    headers: { ...defaults.headers, ...rest.headers },
    url: url.href,
  };
  if (check.body === undefined) delete check.body;
  return check;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
