import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { checkHeader, checkJsonAssertion, describeStatusRanges, statusAccepted, truncate, type PathSegment } from './assertions';
import type { Outcome } from './send';
import type { HttpCheck } from './types';

/** Judging one HTTP response against its check's assertions, and reading the peer certificate. */

const DAY_MS = 86_400_000;

export interface CertificateInfo {
  daysToExpiry: number;
  validTo: string;
  subject: string;
}

export interface CompiledHttp {
  check: HttpCheck;
  bodyRegex?: RegExp;
  json: Array<{ assertion: HttpCheck['json'][number]; path: PathSegment[] }>;
  headers: Array<{ assertion: HttpCheck['responseHeaders'][number]; pattern?: RegExp }>;
  needsBody: boolean;
}

export function certificateOf(socket: TLSSocket | null, cache: WeakMap<object, CertificateInfo>): CertificateInfo | undefined {
  if (!socket || typeof socket.getPeerCertificate !== 'function') return undefined;
  const known = cache.get(socket);
  if (known) return known;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.valid_to) return undefined;
  const expires = Date.parse(cert.valid_to);
  const cn = cert.subject?.CN;
  const info: CertificateInfo = {
    daysToExpiry: Math.floor((expires - Date.now()) / DAY_MS),
    validTo: new Date(expires).toISOString(),
    subject: Array.isArray(cn) ? cn.join(', ') : (cn ?? ''),
  };
  cache.set(socket, info);
  return info;
}

/** The first assertion a response fails, in the order status, TLS, headers, body, JSON. */
export function judge(
  c: CompiledHttp,
  status: number,
  res: http.IncomingMessage,
  tlsFailure: string | undefined,
  body: () => string,
  size: number,
): Omit<Outcome, 'latencyMs'> {
  if (!statusAccepted(status, c.check.expectStatus)) {
    const expected = describeStatusRanges(c.check.expectStatus);
    return { ok: false, reason: 'status', message: `${c.check.method} answered ${status} ${res.statusMessage ?? ''}`.trimEnd() + `, expected ${expected}` };
  }
  if (tlsFailure) return { ok: false, reason: 'tls', message: tlsFailure };
  for (const { assertion, pattern } of c.headers) {
    const failure = checkHeader(res.headers, assertion, pattern);
    if (failure) return { ok: false, reason: 'header', message: failure };
  }
  if (!c.needsBody) return { ok: true };
  const text = body();
  if (c.bodyRegex && !c.bodyRegex.test(text)) {
    return { ok: false, reason: 'body', message: `body (${size} bytes) does not match /${c.bodyRegex.source}/` };
  }
  if (c.json.length === 0) return { ok: true };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'json', message: `body (${size} bytes) is not JSON: ${truncate((error as Error).message, 80)}` };
  }
  for (const { assertion, path } of c.json) {
    const failure = checkJsonAssertion(doc, assertion, path);
    if (failure) return { ok: false, reason: 'json', message: failure };
  }
  return { ok: true };
}
