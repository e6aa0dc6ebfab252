/**
 * Test peers for anything that talks to a registry:
 * - `startRegistry`: the real CNCF distribution registry (`docker-registry serve`)
 *   on 127.0.0.1, temp storage, optional htpasswd or token auth; it can be
 *   killed and started again on the same port and storage (a registry restart).
 * - `startFaultProxy`: an HTTP proxy in front of it that injects faults by
 *   rule (status codes with headers, connection resets, delays, corrupted
 *   bodies) and logs every request it saw.
 * Guard tests with `missingTool('docker-registry', ['--version'])`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export { freePort };

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate(s) whose keys sign the tokens. */
  rootCertBundle: string;
}

export interface StartRegistryOptions {
  /** htpasswd (bcrypt) auth with this one user. */
  auth?: { username: string; password: string };
  /** Docker token auth instead (see test/oci/token-server.ts). */
  tokenAuth?: TokenAuthConfig;
}

export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`: the registry part of an image reference. */
  host: string;
  port: number;
  storageDir: string;
  /** Stops the process and removes its storage. */
  stop(): Promise<void>;
  /** Stops the process only (storage and port kept), to simulate an outage. */
  kill(): Promise<void>;
  /** Starts the process again after `kill()`; resolves once it answers. */
  start(): Promise<void>;
}

/** Starts `docker-registry serve` on a free loopback port with temp storage. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-registry-'));
  const port = await freePort();
  const storageDir = join(dir, 'storage');
  let auth = '';
  if (options.auth) {
    const line = execFileSync('htpasswd', ['-Bbn', options.auth.username, options.auth.password], { encoding: 'utf8' });
    await writeFile(join(dir, 'htpasswd'), line.trim() + '\n');
    auth = `auth:\n  htpasswd:\n    realm: gantry-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (options.tokenAuth) {
    const t = options.tokenAuth;
    auth = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.rootCertBundle}\n`;
  }
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${storageDir}\n  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\n` +
      `http:\n  addr: 127.0.0.1:${port}\n  secret: gantry-test-secret\n${auth}`,
  );
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    let stderr = '';
    const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child = proc;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`docker-registry exited with ${proc.exitCode}: ${stderr}`);
      const up = await fetch(`${url}/v2/`).then(
        (r) => (r.body?.cancel(), true),
        () => false,
      );
      if (up) return;
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    storageDir,
    kill,
    start,
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What the proxy does to a matching request. */
export type Fault =
  /** Answer with this status (e.g. 503, or 429 with `Retry-After`) instead of forwarding. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Drop the connection: `before` forwarding (after the first body bytes arrive, mid-upload), or `after` the registry handled it. */
  | { reset: 'before' | 'after' }
  /** Wait, then forward. */
  | { delayMs: number }
  /** Forward, then flip a byte of the response body. */
  | { corrupt: true };

export interface FaultRule {
  method?: string;
  /** Matched against the path and query. */
  path?: RegExp;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Let this many matching requests through first (default 0). */
  skip?: number;
  fault: Fault;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The status the client got; undefined when the connection was reset. */
  status?: number;
  fault?: string;
}

export interface FaultProxy {
  url: string;
  host: string;
  port: number;
  /** Every request seen, in order. */
  log: ProxyLogEntry[];
  add(rule: FaultRule): void;
  clear(): void;
  stop(): Promise<void>;
}

/** Starts a fault-injecting proxy on 127.0.0.1 in front of `target` (`http://127.0.0.1:PORT`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: Array<FaultRule & { seen: number; used: number }> = [];
  const log: ProxyLogEntry[] = [];
  const forward = (req: http.IncomingMessage, onResponse: (res: http.IncomingMessage) => void, onError: () => void) => {
    // The Host header is kept, so the registry's Location URLs point back at the proxy.
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, onResponse);
    out.on('error', onError);
    req.pipe(out);
  };
  const server = http.createServer((req, res) => {
    const entry: ProxyLogEntry = { method: req.method!, path: req.url!, headers: req.headers };
    log.push(entry);
    const rule = rules.find((r) => (!r.method || r.method === req.method) && (!r.path || r.path.test(req.url!)) && r.used < (r.times ?? 1) && r.seen++ >= (r.skip ?? 0));
    if (rule) rule.used++;
    const fault = rule?.fault;
    const reset = () => {
      entry.status = undefined;
      req.socket.destroy();
    };
    const pass = (upstreamRes: http.IncomingMessage) => {
      entry.status = upstreamRes.statusCode;
      res.writeHead(upstreamRes.statusCode!, upstreamRes.headers);
      upstreamRes.pipe(res);
    };
    if (fault) entry.fault = JSON.stringify(fault);
    if (fault && 'status' in fault) {
      req.resume();
      entry.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
    } else if (fault && 'reset' in fault && fault.reset === 'before') {
      if (Number(req.headers['content-length'] ?? 0) > 0) req.once('data', reset);
      else reset();
    } else if (fault && 'reset' in fault) {
      forward(req, (r) => (r.resume(), r.on('end', reset)), reset);
    } else if (fault && 'delayMs' in fault) {
      req.pause();
      setTimeout(() => forward(req, pass, reset), fault.delayMs);
    } else if (fault && 'corrupt' in fault) {
      forward(req, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const body = Buffer.concat(chunks);
          if (body.length > 0) body[body.length - 1] ^= 0x01;
          entry.status = r.statusCode;
          res.writeHead(r.statusCode!, r.headers);
          res.end(body);
        });
      }, reset);
    } else {
      forward(req, pass, reset);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    log,
    add: (rule) => void rules.push({ ...rule, seen: 0, used: 0 }),
    clear: () => void rules.splice(0),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
