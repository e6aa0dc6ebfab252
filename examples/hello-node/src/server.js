import { createServer as createHttpServer } from 'node:http';
import { greet } from './greet.js';

/** The service: /healthz for probes, /hello for people, /version for deploy checks. */
export function createServer({ version = process.env.APP_VERSION || 'dev' } = {}) {
  return createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    switch (url.pathname) {
      case '/healthz':
        return send(200, { status: 'ok' });
      case '/version':
        return send(200, { version });
      case '/hello':
        try {
          return send(200, { message: greet(url.searchParams.get('name') ?? undefined) });
        } catch (error) {
          return send(400, { error: error.message });
        }
      default:
        return send(404, { error: 'not found' });
    }
  });
}
