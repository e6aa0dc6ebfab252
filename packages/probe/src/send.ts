import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parsePath } from './assertions';
import { classifyError, describeError } from './classify';
import { displayUrl, formatMs } from './format';
import { certificateOf, judge, type CertificateInfo, type CompiledHttp } from './verdict';
import type { Check, FailureReason, HttpCheck, TcpCheck } from './types';

export type { CertificateInfo } from './verdict';

/** The result of one request: latency is measured from its scheduled send time. */
export interface Outcome {
  ok: boolean;
  latencyMs: number;
  reason?: FailureReason;
  message?: string;
  status?: number;
}


/** A check made ready to send: URL parsed, regexes compiled, one connection pool sized to the concurrency. */
export interface Sender {
  target: string;
  /** The last certificate seen, for HTTPS checks. */
  certificate?: CertificateInfo;
  /** Sends one request; `done` is called once. Returns a function that abandons it. */
  send(scheduledAt: number, timeoutMs: number, done: (outcome: Outcome) => void): () => void;
  close(): void;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createSender(check: Check, concurrency: number): Sender {
  return check.kind === 'tcp' ? tcpSender(check) : httpSender(check, concurrency);
}

/** Calls `done` at most once, with the latency from `scheduledAt` and the ceiling applied. */
function once(scheduledAt: number, maxLatencyMs: number | undefined, done: (o: Outcome) => void) {
  let finished = false;
  return {
    get finished() {
      return finished;
    },
    finish(result: Omit<Outcome, 'latencyMs'>) {
      if (finished) return;
      finished = true;
      const latencyMs = performance.now() - scheduledAt;
      if (result.ok && maxLatencyMs !== undefined && latencyMs > maxLatencyMs) {
        done({ ...result, ok: false, latencyMs, reason: 'latency', message: `took ${formatMs(latencyMs)}, over max-latency ${formatMs(maxLatencyMs)}` });
      } else done({ ...result, latencyMs });
    },
    abandon() {
      finished = true;
    },
  };
}

function tcpSender(check: TcpCheck): Sender {
  return {
    target: `tcp://${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`,
    send(scheduledAt, timeoutMs, done) {
      const result = once(scheduledAt, check.maxLatencyMs, done);
      const socket = net.connect({ host: check.host, port: check.port });
      const timer = setTimeout(() => {
        result.finish({ ok: false, reason: 'timeout', message: `no connection within ${formatMs(timeoutMs)}` });
        socket.destroy();
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        result.finish({ ok: true });
        socket.destroy();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        result.finish({ ok: false, reason: classifyError(error), message: describeError(error) });
      });
      return () => {
        result.abandon();
        clearTimeout(timer);
        socket.destroy();
      };
    },
    close() {},
  };
}


function httpSender(check: HttpCheck, concurrency: number): Sender {
  const url = new URL(check.url);
  const isHttps = url.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency };
  const agent = isHttps ? new https.Agent({ ...agentOptions, rejectUnauthorized: !check.insecureTls }) : new http.Agent(agentOptions);
  const request = isHttps ? https.request : http.request;
  const headers: Record<string, string> = { ...check.headers };
  if (check.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(Buffer.byteLength(check.body));
  }
  const options: https.RequestOptions = {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method: check.method,
    headers,
    agent,
    ...(url.username && { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }),
  };
  const compiled: CompiledHttp = {
    check,
    bodyRegex: check.bodyRegex !== undefined ? new RegExp(check.bodyRegex) : undefined,
    json: check.json.map((assertion) => ({ assertion, path: parsePath(assertion.path) })),
    headers: check.responseHeaders.map((assertion) => ({
      assertion,
      pattern: assertion.pattern !== undefined ? new RegExp(assertion.pattern) : undefined,
    })),
    needsBody: check.bodyRegex !== undefined || check.json.length > 0,
  };
  const certificates = new WeakMap<object, CertificateInfo>();
  const sender: Sender = {
    target: displayUrl(url),
    send(scheduledAt, timeoutMs, done) {
      const result = once(scheduledAt, check.maxLatencyMs, done);
      let req = request({ ...options });
      const timer = setTimeout(() => {
        result.finish({ ok: false, reason: 'timeout', message: `no answer within ${formatMs(timeoutMs)}` });
        req.destroy();
      }, timeoutMs);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        result.finish({ ok: false, reason: classifyError(error), message: describeError(error) });
      };
      const onResponse = (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let tlsFailure: string | undefined;
        if (isHttps) {
          const cert = certificateOf(res.socket as TLSSocket, certificates);
          if (cert) {
            sender.certificate = cert;
            if (check.minCertDays !== undefined && cert.daysToExpiry < check.minCertDays) {
              tlsFailure = `certificate of ${cert.subject || url.hostname} expires in ${cert.daysToExpiry} day${cert.daysToExpiry === 1 ? '' : 's'} (${cert.validTo}), fewer than min-cert-days ${check.minCertDays}`;
            }
          }
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (compiled.needsBody && size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const verdict = judge(compiled, status, res, tlsFailure, () => Buffer.concat(chunks).toString('utf8'), size);
          result.finish({ ...verdict, status });
        });
      };
      const onError = (error: unknown) => {
        // A kept-alive connection the server closed while idle fails on reuse: that race is
        // the client's, not the target's, so it gets one fresh connection (as Node's docs advise).
        if (req.reusedSocket && (error as { code?: string }).code === 'ECONNRESET' && !result.finished && !retried) {
          retried = true;
          req = request({ ...options });
          req.on('error', onError).on('response', onResponse).end(check.body);
          return;
        }
        fail(error);
      };
      let retried = false;
      req.on('error', onError).on('response', onResponse).end(check.body);
      return () => {
        result.abandon();
        clearTimeout(timer);
        req.destroy();
      };
    },
    close() {
      agent.destroy();
    },
  };
  return sender;
}
