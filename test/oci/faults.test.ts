import { DigestMismatchError, RegistryClient, RegistryError, sha256Digest } from '@gantry/oci';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, startRegistry, type FaultProxy, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { USER, recordingLogger, testImage } from './fixtures';

const skip = missingTool('docker-registry', ['--version']);

describe.skipIf(skip)('RegistryClient through a fault-injecting proxy', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const logger = recordingLogger();
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    proxy = await startFaultProxy(registry.url);
    client = new RegistryClient({ registry: proxy.host, credentials: USER, logger, retry: { attempts: 4, baseDelayMs: 50, maxDelayMs: 3_000 }, timeoutMs: 1_000 });
    await client.ping();
  });
  afterEach(() => proxy.clear());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    expect(logger.lines.some((l) => l.includes('retrying'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(USER.password);
  });

  async function pushImage(repo: string, seed: string) {
    const image = testImage(seed);
    await client.pushBlob(repo, image.config.descriptor, image.config.bytes);
    await client.pushBlob(repo, image.layer.descriptor, image.layer.bytes);
    await client.putManifest(repo, 'v1', image.manifest.bytes, image.manifest.descriptor.mediaType);
    return image;
  }

  it('retries a 503 twice, then succeeds', async () => {
    const image = await pushImage('faults/5xx', '5xx');
    proxy.add({ method: 'GET', path: /\/manifests\/v1$/, times: 2, fault: { status: 503 } });
    const start = proxy.log.length;
    const pulled = await client.getManifest('faults/5xx', 'v1');
    expect(pulled.descriptor.digest).toBe(image.manifest.descriptor.digest);
    expect(proxy.log.slice(start).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    await pushImage('faults/429', '429');
    proxy.add({ method: 'HEAD', path: /\/manifests\/v1$/, fault: { status: 429, headers: { 'retry-after': '1' } } });
    const started = Date.now();
    expect(await client.headManifest('faults/429', 'v1')).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the bounded attempts with an error naming the registry, repository and status', async () => {
    proxy.add({ method: 'GET', path: /\/tags\/list/, times: Infinity, fault: { status: 502 } });
    const error = await client.listTags('faults/down').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe(`Registry ${proxy.host}/faults/down: list tags failed: HTTP 502 — unavailable: injected fault`);
    expect(proxy.log.filter((e) => e.path.includes('/faults/down/tags')).length).toBe(4);
  });

  it('does not retry what will not change (404)', async () => {
    const start = proxy.log.length;
    await expect(client.getManifest('faults/none', 'v9')).rejects.toMatchObject({ status: 404 });
    expect(proxy.log.length - start).toBe(1);
  });

  it('restarts an upload cleanly after the connection resets mid-PUT', async () => {
    const { layer } = testImage('reset-mid-put');
    proxy.add({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { reset: 'before' } });
    const start = proxy.log.length;
    expect(await client.pushBlob('faults/reset', layer.descriptor, layer.bytes)).toBe('uploaded');
    const posts = proxy.log.slice(start).filter((e) => e.method === 'POST');
    expect(posts.length).toBe(2);
    expect(await client.getBlob('faults/reset', layer.descriptor.digest)).toEqual(layer.bytes);
  });

  it('restarts a chunked upload after a reset between chunks', async () => {
    const bytes = Buffer.alloc(50_000, 7);
    const descriptor = { mediaType: 'application/octet-stream', digest: sha256Digest(bytes), size: bytes.length };
    proxy.add({ method: 'PATCH', skip: 1, fault: { reset: 'before' } });
    expect(await client.pushBlob('faults/chunks', descriptor, bytes, { chunkSize: 20_000 })).toBe('uploaded');
    expect(await client.hasBlob('faults/chunks', descriptor.digest)).toBe(true);
  });

  it('notices when a reset hid a PUT that did arrive, and does not upload again', async () => {
    const { layer } = testImage('reset-after-put');
    proxy.add({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { reset: 'after' } });
    const start = proxy.log.length;
    expect(await client.pushBlob('faults/arrived', layer.descriptor, layer.bytes)).toBe('uploaded');
    expect(proxy.log.slice(start).filter((e) => e.method === 'PUT').length).toBe(1);
  });

  it('tolerates a slow response, and retries one slower than the timeout', async () => {
    await pushImage('faults/slow', 'slow');
    proxy.add({ method: 'GET', path: /\/manifests\/v1$/, fault: { delayMs: 400 } });
    expect((await client.getManifest('faults/slow', 'v1')).json.schemaVersion).toBe(2);
    proxy.add({ method: 'GET', path: /\/manifests\/v1$/, fault: { delayMs: 1_500 } });
    const start = proxy.log.length;
    expect((await client.getManifest('faults/slow', 'v1')).json.schemaVersion).toBe(2);
    expect(proxy.log.length - start).toBe(2);
    expect(logger.lines.some((l) => /no complete response within 1000 ms/.test(l))).toBe(true);
  });

  it('detects a corrupted manifest and a corrupted blob by their digests', async () => {
    const image = await pushImage('faults/corrupt', 'corrupt');
    proxy.add({ method: 'GET', path: /\/manifests\//, fault: { corrupt: true } });
    const manifestError = await client.getManifest('faults/corrupt', image.manifest.descriptor.digest).catch((e: unknown) => e);
    expect(manifestError).toBeInstanceOf(DigestMismatchError);
    expect((manifestError as Error).message).toContain(`expected ${image.manifest.descriptor.digest}`);
    proxy.add({ method: 'GET', path: /\/manifests\/v1$/, fault: { corrupt: true } });
    await expect(client.getManifest('faults/corrupt', 'v1')).rejects.toBeInstanceOf(DigestMismatchError);
    proxy.add({ method: 'GET', path: /\/blobs\/sha256:/, fault: { corrupt: true } });
    await expect(client.getBlob('faults/corrupt', image.layer.descriptor.digest)).rejects.toBeInstanceOf(DigestMismatchError);
    expect(await client.getBlob('faults/corrupt', image.layer.descriptor.digest)).toEqual(image.layer.bytes);
  });

  it('picks up a push again when the registry restarts between blobs', async () => {
    const image = testImage('restart');
    const patient = new RegistryClient({ registry: registry.host, credentials: USER, logger, retry: { attempts: 12, baseDelayMs: 100, maxDelayMs: 400 } });
    expect(await patient.pushBlob('faults/restart', image.config.descriptor, image.config.bytes)).toBe('uploaded');
    await registry.kill();
    const restarted = new Promise<void>((resolve, reject) => setTimeout(() => registry.start().then(resolve, reject), 800));
    expect(await patient.pushBlob('faults/restart', image.layer.descriptor, image.layer.bytes)).toBe('uploaded');
    await restarted;
    expect(logger.lines.some((l) => /connection was refused/.test(l))).toBe(true);
    await patient.putManifest('faults/restart', 'v1', image.manifest.bytes, image.manifest.descriptor.mediaType);
    expect((await patient.getManifest('faults/restart', 'v1')).descriptor.digest).toBe(image.manifest.descriptor.digest);
  });
});
