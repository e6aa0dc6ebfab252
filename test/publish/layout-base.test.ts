import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, scratch, writeToLayout } from '@gantry/image';
import { OciLayout, type ImageIndex } from '@gantry/oci';
import { baseImageSource, publishImage } from '@gantry/publish';
import { startRegistry, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { AMD64, appContext, busyboxContext, clientFor, skopeoInspect, USER } from './support';

const skip = missingTool('docker-registry', ['--version']) ?? missingTool('skopeo');
const ARM64 = { os: 'linux', architecture: 'arm64' };

describe.skipIf(skip)('a base image from an OCI layout, several platforms', () => {
  let registry: TestRegistry;
  let work: string;
  let layoutDir: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    work = await mkdtemp(join(tmpdir(), 'gantry-publish-layout-'));
    layoutDir = join(work, 'base-layout');
    const base = await buildImage({ context: await busyboxContext(join(work, 'rootfs')), destination: '/', sourceDateEpoch: 0, blobDir: join(work, 'base-blobs'), platforms: [AMD64, ARM64] }, scratch);
    await writeToLayout(base, await OciLayout.create(layoutDir), 'busybox');
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('pushes an index whose base layers are read from the layout; skopeo resolves each platform', async () => {
    const source = baseImageSource('oci:base-layout:busybox', { cwd: work, tempDir: work, clientFor: () => { throw new Error('no registry for a layout base'); } });
    const built = await buildImage({ context: await appContext(join(work, 'app')), sourceDateEpoch: 1_700_000_000, blobDir: join(work, 'app-blobs'), platforms: [AMD64, ARM64] }, source);
    expect(built.baseName).toBe('oci:base-layout:busybox');
    const result = await publishImage(built, { client: clientFor(registry.host), repository: 'team/multi', tags: ['v1'] });
    expect(result.layers.map((l) => [l.origin, l.status])).toEqual([
      ['base', 'uploaded'],
      ['new', 'uploaded'],
    ]);
    expect(result.manifestsUploaded).toBe(3);
    const index = (await skopeoInspect(`${registry.host}/team/multi:v1`, true)) as unknown as ImageIndex;
    expect(index.manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    expect(index.manifests.map((m) => m.digest)).toEqual(built.manifests.map((m) => m.descriptor.digest));
    const arm = await skopeoInspect(`${registry.host}/team/multi@${built.digest}`).catch(() => undefined);
    expect(arm?.Digest).toBe(built.digest);
  });

  it('names the input when the layout lacks the image', async () => {
    const source = baseImageSource('oci:base-layout:nope', { cwd: work, tempDir: work, clientFor: () => { throw new Error('unused'); } });
    await expect(source.resolve([AMD64])).rejects.toThrow(/base image oci:base-layout:nope was not found in the layout .* \(input "base-image"\)/);
    const missing = baseImageSource('oci:no-such-dir', { cwd: work, tempDir: work, clientFor: () => { throw new Error('unused'); } });
    await expect(missing.resolve([AMD64])).rejects.toThrow(/base image oci:no-such-dir \(input "base-image"\): .* is not an OCI image layout/);
  });
});
