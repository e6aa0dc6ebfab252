import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer } from '../src/server.js';

describe('server', () => {
  let server;
  let base;
  before(async () => {
    server = createServer({ version: '1.2.3' });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const get = async (path, init) => {
    const res = await fetch(base + path, init);
    return { status: res.status, body: await res.json() };
  };

  test('healthz is ok', async () => assert.deepEqual(await get('/healthz'), { status: 200, body: { status: 'ok' } }));
  test('version', async () => assert.deepEqual(await get('/version'), { status: 200, body: { version: '1.2.3' } }));
  test('hello with a name', async () => assert.deepEqual((await get('/hello?name=Lin')).body, { message: 'Hello, Lin!' }));
  test('hello refuses markup with 400', async () => assert.equal((await get('/hello?name=%3Cx%3E')).status, 400));
  test('unknown path is 404', async () => assert.equal((await get('/nope')).status, 404));
  test('POST is 405', async () => assert.equal((await get('/healthz', { method: 'POST' })).status, 405));
});
