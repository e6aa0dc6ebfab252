import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { parseChecks, runProbe } from '@gantry/probe';
import { classifyError } from '../../packages/probe/src/classify';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * A raw HTTP server that answers the first `answered` requests on each connection with keep-alive,
 * then hangs up on the next one without answering: what a server closing an idle keep-alive
 * connection looks like to a client that reuses it at that moment.
 */
async function hangUpAfter(answered: number): Promise<number> {
  const server = net.createServer((socket) => {
    let seen = 0;
    let buffered = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        if (seen++ >= answered) return void socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

describe('connections', () => {
  test('a kept-alive connection closed under a reuse gets one fresh connection, not a failure', async () => {
    const port = await hangUpAfter(1);
    const report = await runProbe(parseChecks({ url: `http://127.0.0.1:${port}/` }), { durationMs: 1000, rate: 5, concurrency: 1, timeoutMs: 1000 });
    expect(report.overall).toMatchObject({ requests: 5, failures: 0 });
  });

  test('a server that hangs up on a fresh connection is a connection-reset failure', async () => {
    const port = await hangUpAfter(0);
    const report = await runProbe(parseChecks({ url: `http://127.0.0.1:${port}/` }), { durationMs: 1000, rate: 5, concurrency: 1, timeoutMs: 1000 });
    expect(report.checks[0]!.failuresByReason).toEqual({ 'connection-reset': { count: 5, example: 'ECONNRESET: socket hang up' } });
  });

  test.each([
    ['ECONNREFUSED', 'connection-refused'],
    ['ECONNRESET', 'connection-reset'],
    ['EPIPE', 'connection-reset'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ETIMEDOUT', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['EHOSTUNREACH', 'other'],
  ])('classifies %s as %s', (code, reason) => {
    expect(classifyError(Object.assign(new Error(code), { code }))).toBe(reason);
  });
});
