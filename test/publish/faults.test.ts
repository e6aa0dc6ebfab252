import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, scratch, type BuiltImage } from '@gantry/image';
import { publishImage } from '@gantry/publish';
import { startFaultProxy, startRegistry, type FaultProxy, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { busyboxContext, clientFor, skopeoInspect, USER } from './support';

const skip = missingTool('docker-registry', ['--version']) ?? missingTool('skopeo');

describe.skipIf(skip)('publishImage through a faulty connection', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let work: string;
  let built: BuiltImage;

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    proxy = await startFaultProxy(registry.url);
    work = await mkdtemp(join(tmpdir(), 'gantry-publish-faults-'));
    // A ~1 MB layer (static busybox), so a reset lands mid-upload.
    built = await buildImage({ context: await busyboxContext(join(work, 'rootfs')), destination: '/', sourceDateEpoch: 0, blobDir: join(work, 'blobs') }, scratch);
  });
  afterEach(() => proxy.clear());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('completes through 503, 429 and a connection reset mid-upload', async () => {
    proxy.add({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { reset: 'before' } });
    proxy.add({ method: 'POST', path: /\/blobs\/uploads\//, fault: { status: 503 } });
    proxy.add({ method: 'PUT', path: /\/manifests\/sha256:/, fault: { status: 429, headers: { 'retry-after': '0' } } });
    proxy.add({ method: 'PUT', path: /\/manifests\/v1$/, fault: { status: 502 } });
    const result = await publishImage(built, { client: clientFor(proxy.host), repository: 'faults/one', tags: ['v1'] });
    expect(proxy.log.filter((e) => e.fault).length).toBe(4);
    expect(result.tagResults).toEqual([{ tag: 'v1', status: 'created' }]);
    expect((await skopeoInspect(`${registry.host}/faults/one:v1`)).Digest).toBe(built.digest);
  });

  it('a push that fails for good leaves no tag; the re-run sends only what had not arrived', async () => {
    proxy.add({ method: 'PUT', path: /\/manifests\/sha256:/, times: Infinity, fault: { status: 500 } });
    const failed = await publishImage(built, { client: clientFor(proxy.host), repository: 'faults/two', tags: ['v1'] }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/put manifest .* failed: HTTP 500/);
    expect((failed as Error).message).not.toContain(USER.password);
    expect(await clientFor(registry.host).listTags('faults/two')).toEqual([]);

    proxy.clear();
    const seen = proxy.log.length;
    const layer = built.layers[0]!;
    const result = await publishImage(built, { client: clientFor(proxy.host), repository: 'faults/two', tags: ['v1'] });
    expect(result.layers).toEqual([{ digest: layer.digest, size: layer.size, origin: 'new', status: 'reused' }]);
    expect(result).toMatchObject({ bytesUploaded: 0, layersUploaded: 0, manifestsUploaded: 1 });
    expect(proxy.log.slice(seen).some((e) => e.method === 'PATCH' || (e.method === 'PUT' && e.path.includes('/blobs/')))).toBe(false);
    expect((await skopeoInspect(`${registry.host}/faults/two:v1`)).Digest).toBe(built.digest);
  });

  it('a registry restarted mid-push: the re-run completes the image', async () => {
    proxy.add({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { delayMs: 300 } });
    const pushing = publishImage(built, { client: clientFor(proxy.host), repository: 'faults/three', tags: ['v1'] }).catch((e: Error) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await registry.kill();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await registry.start();
    const first = await pushing;
    const result = first instanceof Error ? await publishImage(built, { client: clientFor(proxy.host), repository: 'faults/three', tags: ['v1'] }) : first;
    expect(result.digest).toBe(built.digest);
    expect((await skopeoInspect(`${registry.host}/faults/three:v1`)).Digest).toBe(built.digest);
  });
});
