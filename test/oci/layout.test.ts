import { DigestMismatchError, MEDIA_TYPES, OciLayout, OciLayoutError, REF_NAME, RegistryClient, type ImageManifest } from '@gantry/oci';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { USER, testImage } from './fixtures';

const run = promisify(execFile);

describe('OciLayout', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'gantry-layout-'))));
  afterAll(async () => void (dir && (await rm(dir, { recursive: true, force: true }))));

  it('creates the layout files, stores blobs by digest and names manifests in index.json', async () => {
    const layout = await OciLayout.create(join(dir, 'a'));
    expect(JSON.parse(await readFile(join(dir, 'a', 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const image = testImage('layout-a');
    const layer = await layout.writeBlob(image.layer.bytes, MEDIA_TYPES.ociLayerGzip);
    expect(layer).toEqual(image.layer.descriptor);
    await writeFile(join(dir, 'config.json'), image.config.bytes);
    expect(await layout.writeBlob({ path: join(dir, 'config.json') }, MEDIA_TYPES.ociConfig)).toEqual(image.config.descriptor);
    const manifest = await layout.writeBlob(image.manifest.bytes, MEDIA_TYPES.ociManifest);
    expect(await readFile(layout.blobPath(manifest.digest))).toEqual(image.manifest.bytes);
    await layout.addManifest(manifest, 'v1');
    await layout.addManifest(manifest, 'v1');
    await layout.addManifest(manifest);
    await layout.addManifest(manifest);
    const index = await layout.index();
    expect(index.manifests).toEqual([{ ...manifest, annotations: { [REF_NAME]: 'v1' } }, manifest]);
    expect(await layout.resolve('v1')).toEqual({ ...manifest, annotations: { [REF_NAME]: 'v1' } });
    expect(await layout.resolve('v2')).toBeUndefined();
    expect((await layout.resolve(manifest.digest))?.digest).toBe(manifest.digest);
    // A named ref moves like a tag when another manifest takes the name.
    const other = await layout.writeBlob(testImage('layout-b').manifest.bytes, MEDIA_TYPES.ociManifest);
    await layout.addManifest(other, 'v1');
    expect((await layout.resolve('v1'))?.digest).toBe(other.digest);
    expect((await layout.index()).manifests.filter((d) => d.annotations?.[REF_NAME] === 'v1')).toHaveLength(1);
    // Nothing half-written is left behind.
    expect((await readdir(join(dir, 'a', 'blobs', 'sha256'))).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await readdir(join(dir, 'a'))).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    // Reopening keeps the contents; concurrent updates all land.
    const again = await OciLayout.create(join(dir, 'a'));
    await Promise.all(['x', 'y', 'z'].map((tag) => again.addManifest(manifest, tag)));
    expect((await (await OciLayout.open(join(dir, 'a'))).index()).manifests).toHaveLength(5);
  });

  it('verifies blobs it reads and refuses a directory that is not a layout', async () => {
    const layout = await OciLayout.create(join(dir, 'b'));
    const blob = await layout.writeBlob(Buffer.from('original'));
    await writeFile(layout.blobPath(blob.digest), 'tampered');
    await expect(layout.readBlob(blob.digest)).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(layout.readBlob(`sha256:${'0'.repeat(64)}`)).rejects.toThrow(/has no blob/);
    await expect(OciLayout.open(join(dir, 'nothing'))).rejects.toBeInstanceOf(OciLayoutError);
  });
});

const skip = missingTool('skopeo') ?? missingTool('docker-registry', ['--version']);

describe.skipIf(skip)('OciLayout with skopeo and the registry', () => {
  let registry: TestRegistry;
  let dir: string;
  let client: RegistryClient;
  const creds = `${USER.username}:${USER.password}`;

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    dir = await mkdtemp(join(tmpdir(), 'gantry-layout-skopeo-'));
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    client = new RegistryClient({ registry: registry.host, credentials: USER });
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const skopeo = async (...args: string[]) => (await run('skopeo', ['--policy', join(dir, 'policy.json'), ...args])).stdout;

  it('is read by skopeo inspect and copied by skopeo to the registry unchanged', async () => {
    const image = testImage('skopeo');
    const layout = await OciLayout.create(join(dir, 'src'));
    await layout.writeBlob(image.config.bytes, MEDIA_TYPES.ociConfig);
    await layout.writeBlob(image.layer.bytes, MEDIA_TYPES.ociLayerGzip);
    await layout.addManifest(await layout.writeBlob(image.manifest.bytes, MEDIA_TYPES.ociManifest), 'v1');

    const inspected = JSON.parse(await skopeo('inspect', `oci:${join(dir, 'src')}:v1`)) as { Digest: string; Layers: string[]; Architecture: string };
    expect(inspected).toMatchObject({ Digest: image.manifest.descriptor.digest, Layers: [image.layer.descriptor.digest], Architecture: 'amd64' });

    await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${join(dir, 'src')}:v1`, `docker://${registry.host}/layout/app:v1`);
    expect((await client.getManifest('layout/app', 'v1')).descriptor.digest).toBe(image.manifest.descriptor.digest);
  });

  it('receives what skopeo copies out of the registry, and serves as the source of a push', async () => {
    await skopeo('copy', '--src-tls-verify=false', '--src-creds', creds, `docker://${registry.host}/layout/app:v1`, `oci:${join(dir, 'dst')}:copied`);
    const layout = await OciLayout.open(join(dir, 'dst'));
    const descriptor = (await layout.resolve('copied'))!;
    const manifest = JSON.parse((await layout.readBlob(descriptor.digest)).toString()) as ImageManifest;
    for (const blob of [manifest.config, ...manifest.layers]) {
      expect(await client.pushBlob('layout/pushed', blob, { path: layout.blobPath(blob.digest) })).toBe('uploaded');
    }
    await client.putManifest('layout/pushed', 'v2', await layout.readBlob(descriptor.digest), descriptor.mediaType);
    const inspected = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--creds', creds, `docker://${registry.host}/layout/pushed:v2`)) as { Digest: string };
    expect(inspected.Digest).toBe(descriptor.digest);
  });
});
