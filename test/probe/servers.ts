import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports';

export { freePort };

/** How the test target answers; tests change it while a probe runs. */
export interface TargetState {
  /** Added before every answer. */
  delayMs: number;
  /** ok: 200; error: 500; flap: 200 and 500 in turn. */
  mode: 'ok' | 'error' | 'flap';
  /** Until this Date.now() time every request is held (a stall). */
  stallUntil: number;
}

export interface Target {
  url: string;
  port: number;
  state: TargetState;
  /** Requests received. */
  received: number;
  /** Stops listening and cuts every open connection (connection refused from then on). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const BODY = JSON.stringify({ status: 'ok', version: '1.2.3', checks: { db: { latencyMs: 3 } } });

/** A loopback HTTP (or, with a key and certificate, HTTPS) server the test can make slow, erroring, flapping or down. */
export async function startTarget(tls?: { key: string; cert: string }): Promise<Target> {
  const state: TargetState = { delayMs: 0, mode: 'ok', stallUntil: 0 };
  let flap = 0;
  const target = { state, received: 0 } as Target;
  const handler: http.RequestListener = (req, res) => {
    target.received++;
    const wait = Math.max(state.delayMs, state.stallUntil - Date.now() + state.delayMs);
    const answer = () => {
      const healthy = state.mode === 'ok' || (state.mode === 'flap' && flap++ % 2 === 0);
      res.writeHead(healthy ? 200 : 500, { 'content-type': 'application/json', 'x-version': '1.2.3' });
      res.end(healthy ? BODY : JSON.stringify({ status: 'failing' }));
    };
    req.resume();
    req.on('end', () => (wait > 0 ? setTimeout(answer, wait) : answer()));
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  target.port = port;
  target.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  target.down = () => closeServer(server);
  target.up = () => listen(server, port);
  target.close = () => closeServer(server);
  return target;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server | net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/** A loopback TCP server that accepts and closes connections. */
export async function startTcpTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end();
  });
  await listen(server, 0);
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

/** A self-signed certificate for 127.0.0.1, valid for `days` from now, made with openssl. */
export function selfSignedCertificate(days: number): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-probe-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(days),
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

