import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '@gantry/action-kit';
import { BaseImageError, buildImage, formatPlatform, parsePlatforms, scratch } from '@gantry/image';
import { memoryBase, TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64' };

describe('parsePlatforms', () => {
  it('parses, normalises and de-duplicates', () => {
    expect(parsePlatforms('linux/amd64,linux/arm64/v8\nlinux/arm/v7, linux/aarch64')).toEqual([AMD64, ARM64, { os: 'linux', architecture: 'arm', variant: 'v7' }]);
    expect(parsePlatforms('linux/x86_64').map(formatPlatform)).toEqual(['linux/amd64']);
  });

  it('names the platforms input for unknown values', () => {
    expect(() => parsePlatforms('linux/amd65')).toThrow(InputError);
    expect(() => parsePlatforms('linux/amd65')).toThrow(/Input "platforms" has the value "linux\/amd65".*unknown architecture "amd65"/);
    expect(() => parsePlatforms('plan10/amd64')).toThrow(/unknown operating system "plan10"/);
    expect(() => parsePlatforms('amd64')).toThrow(/"amd64" is not os\/arch/);
    expect(() => parsePlatforms(' , ')).toThrow(/it is empty/);
  });
});

describe('multi-platform images', () => {
  it('builds an index over per-platform manifests that share the new layers', async () => {
    const context = await temp.make();
    await writeTree(context, { 'server.js': 'ok' });
    const base = await memoryBase('registry.example/base:1', [AMD64, { os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 's390x' }], {
      env: ['PATH=/usr/bin', 'NODE_ENV=development'],
    });
    const image = await buildImage(
      {
        context,
        sourceDateEpoch: 1_700_000_000,
        blobDir: await temp.make(),
        platforms: parsePlatforms('linux/amd64,linux/arm64'),
        env: { NODE_ENV: 'production', PORT: '8080' },
        entrypoint: ['node'],
        ports: ['8080'],
        user: '1000:1000',
        labels: { team: 'web' },
        annotations: { 'com.example.note': 'x' },
        source: { url: 'https://github.com/o/app', revision: 'abc123', version: '1.2.3' },
      },
      base.source,
    );
    expect(image.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(image.baseDigest).toBe(base.digest);
    const index = JSON.parse(image.bytes.toString());
    expect(index.manifests.map((d: { platform: unknown }) => d.platform)).toEqual([AMD64, { ...ARM64, variant: 'v8' }]);
    expect(index.manifests.map((d: { digest: string }) => d.digest)).toEqual(image.manifests.map((m) => m.descriptor.digest));
    expect(index.annotations).toMatchObject({
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
      'org.opencontainers.image.source': 'https://github.com/o/app',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.base.name': 'registry.example/base:1',
      'org.opencontainers.image.base.digest': base.digest,
      'com.example.note': 'x',
    });
    const [amd, arm] = image.manifests;
    // Each platform keeps its base's layers as the base listed them; the new layer is one shared blob.
    expect(amd!.manifest.layers[0]).toEqual(JSON.parse(base.blobs.get(base.descriptors[0]!.digest)!.toString()).layers[0]);
    expect(arm!.manifest.layers[0]).toEqual(JSON.parse(base.blobs.get(base.descriptors[1]!.digest)!.toString()).layers[0]);
    expect(amd!.manifest.layers[1]).toEqual(arm!.manifest.layers[1]);
    expect(amd!.manifest.annotations!['org.opencontainers.image.base.digest']).toBe(base.descriptors[0]!.digest);
    expect(amd!.config).toMatchObject({ architecture: 'amd64', os: 'linux', created: '2023-11-14T22:13:20Z' });
    expect(arm!.config).toMatchObject({ architecture: 'arm64', variant: 'v8' });
    expect(amd!.config.rootfs.diff_ids).toHaveLength(2);
    expect(amd!.config.config).toEqual({
      Env: ['PATH=/usr/bin', 'NODE_ENV=production', 'PORT=8080'],
      Entrypoint: ['node'], // a new entrypoint drops the base's Cmd, as in Docker
      WorkingDir: '/app',
      User: '1000:1000',
      ExposedPorts: { '8080/tcp': {} },
      Labels: {
        base: 'yes',
        team: 'web',
        'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
        'org.opencontainers.image.source': 'https://github.com/o/app',
        'org.opencontainers.image.revision': 'abc123',
        'org.opencontainers.image.version': '1.2.3',
      },
    });
    expect(amd!.config.history).toEqual([
      { created: '2020-01-01T00:00:00Z', created_by: 'base layer' },
      { created: '2023-11-14T22:13:20Z', created_by: 'gantry: COPY . /app # app layer', comment: 'gantry' },
    ]);
    expect(image.layers.map((l) => l.origin)).toEqual(['base', 'base', 'new']);
    expect([...image.blobs.values()].filter((b) => b.origin === 'base').every((b) => b.content === undefined)).toBe(true);
  });

  it('refuses a platform the base lacks, naming what it has', async () => {
    const context = await temp.make();
    const base = await memoryBase('base', [AMD64]);
    await expect(buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make(), platforms: [AMD64, ARM64] }, base.source)).rejects.toThrow(
      new BaseImageError('base image base has no linux/arm64 image (it has: linux/amd64); change the "platforms" input'),
    );
    const single = await memoryBase('single', [AMD64], { index: false });
    await expect(buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make(), platforms: [ARM64] }, single.source)).rejects.toThrow(
      /single is linux\/amd64 only; asked for linux\/arm64/,
    );
    const built = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make() }, single.source);
    expect(built.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(built.manifests[0]!.manifest.layers).toHaveLength(2);
  });

  it('takes a Docker manifest list as base, giving its layers their OCI media type and nothing else', async () => {
    const context = await temp.make();
    const base = await memoryBase('docker.io/library/base:1', [AMD64, ARM64], { docker: true });
    const image = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make(), platforms: [ARM64] }, base.source);
    const dockerManifest = JSON.parse(base.blobs.get(base.descriptors[1]!.digest)!.toString());
    expect(dockerManifest.layers[0].mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(image.manifests[0]!.manifest.layers[0]).toEqual({ ...dockerManifest.layers[0], mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' });
    expect(image.blobs.get(dockerManifest.layers[0].digest)!.descriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(image.manifests[0]!.config.architecture).toBe('arm64');
  });

  it('builds from scratch for several platforms with the same layer', async () => {
    const context = await temp.make();
    await writeTree(context, { bin: 'x' });
    const image = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make(), platforms: [AMD64, ARM64], cmd: ['/app/bin'] }, scratch);
    expect(image.baseDigest).toBeUndefined();
    expect(image.manifests.map((m) => m.config.architecture)).toEqual(['amd64', 'arm64']);
    expect(image.manifests[0]!.config.config).toMatchObject({ Cmd: ['/app/bin'], WorkingDir: '/app' });
    expect(image.manifests[0]!.manifest.annotations!['org.opencontainers.image.base.name']).toBeUndefined();
    expect(image.layers).toHaveLength(1);
  });
});
