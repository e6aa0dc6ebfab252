import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = 'healthy' | 'slow' | 'error';

/**
 * A real HTTP server on 127.0.0.1 that a test turns slow, erroring, or down
 * (closed: connections refused) and back up on the same port. Counts requests.
 */
export class Target {
  behaviour: Behaviour = 'healthy';
  slowMs = 300;
  requests = 0;
  port = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.behaviour === 'error') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
      } else if (this.behaviour === 'slow') {
        setTimeout(() => res.writeHead(200).end('ok'), this.slowMs);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      }
    });
    this.server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}/health`;
  }

  /** Down: the port refuses connections until `start()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
