import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, lstat, mkdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, LayoutWriteError, resolveBaseManifests, scratch, writeToLayout, type BaseImageSource, type BuiltImage } from '@gantry/image';
import { OciLayout } from '@gantry/oci';
import { missingTool } from '../support/tools';
import { memoryBase, TempDirs, writeTree } from './support';

const run = promisify(execFile);
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** A base image source over an OCI layout: what the action will do for `oci-layout:` bases. */
function layoutSource(layout: OciLayout, name: string, refName: string): BaseImageSource {
  return {
    name,
    async resolve(platforms) {
      const top = await layout.resolve(refName);
      if (!top) throw new Error(`no ${refName} in the layout`);
      const bytes = await layout.readBlob(top.digest);
      return resolveBaseManifests({ name, digest: top.digest, mediaType: top.mediaType, bytes }, (d) => layout.readBlob(d.digest), platforms);
    },
    readBlob: async (d) => ({ path: layout.blobPath(d.digest) }),
  };
}

/** A busybox base made with umoci (tag `busybox` in `<dir>/base`), as there is no registry to pull one from. */
async function busyboxLayout(dir: string): Promise<string> {
  const baseDir = join(dir, 'base');
  const bundle = join(dir, 'base-bundle');
  await run('umoci', ['init', '--layout', baseDir]);
  await run('umoci', ['new', '--image', `${baseDir}:busybox`]);
  await run('umoci', ['unpack', '--image', `${baseDir}:busybox`, bundle]);
  await mkdir(join(bundle, 'rootfs/bin'), { recursive: true });
  await copyFile('/bin/busybox', join(bundle, 'rootfs/bin/busybox'));
  await chmod(join(bundle, 'rootfs/bin/busybox'), 0o755);
  await run('umoci', ['repack', '--image', `${baseDir}:busybox`, bundle]);
  return baseDir;
}

async function appContext(): Promise<string> {
  const context = await temp.make();
  await writeTree(context, {
    'run.sh': { content: '#!/bin/busybox sh\necho "hello from $(cat /app/data/message.txt)"\n', mode: 0o755 },
    'data/message.txt': 'gantry',
    'current': { link: 'data/message.txt' },
  });
  return context;
}

const skip = missingTool('skopeo') ?? missingTool('umoci', ['--version']);

describe.skipIf(skip)('images written to an OCI layout, read by skopeo and umoci', () => {
  let dir: string;
  let base: BaseImageSource;
  let built: BuiltImage;
  const skopeo = async (...args: string[]) => (await run('skopeo', ['--policy', join(dir, 'policy.json'), ...args])).stdout;

  beforeAll(async () => {
    dir = await temp.make();
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const baseDir = await busyboxLayout(dir);
    base = layoutSource(await OciLayout.open(baseDir), 'oci-layout/busybox:latest', 'busybox');
    built = await buildImage(
      { context: await appContext(), sourceDateEpoch: 1_700_000_000, blobDir: join(dir, 'blobs'), entrypoint: ['/bin/busybox', 'sh', '/app/run.sh'], env: { GREETING: 'hi' } },
      base,
    );
  });

  it('is inspected by skopeo with the digest, layers and config the build reported', async () => {
    const layout = await OciLayout.create(join(dir, 'out'));
    expect(await writeToLayout(built, layout, 'v1')).toEqual({ written: 4, present: 0 });
    expect(await writeToLayout(built, layout, 'v1')).toEqual({ written: 0, present: 4 });
    const inspected = JSON.parse(await skopeo('inspect', `oci:${join(dir, 'out')}:v1`)) as Record<string, unknown>;
    expect(inspected).toMatchObject({
      Digest: built.digest,
      Architecture: built.manifests[0]!.config.architecture,
      Os: 'linux',
      Layers: built.manifests[0]!.manifest.layers.map((l) => l.digest),
      Env: expect.arrayContaining(['GREETING=hi']),
      Labels: { 'org.opencontainers.image.created': '2023-11-14T22:13:20Z' },
    });
    expect(built.layers.map((l) => l.origin)).toEqual(['base', 'new']);
    const raw = await skopeo('inspect', '--raw', `oci:${join(dir, 'out')}:v1`);
    expect(Buffer.from(raw).equals(built.bytes)).toBe(true);
  });

  it('is unpacked by umoci with the base files, the app files, modes and symlinks', async () => {
    const layout = join(dir, 'unpack');
    await writeToLayout(built, await OciLayout.create(layout), 'app');
    const bundle = join(dir, 'app-bundle');
    await run('umoci', ['unpack', '--image', `${layout}:app`, bundle]);
    expect((await lstat(join(bundle, 'rootfs/bin/busybox'))).isFile()).toBe(true);
    expect((await lstat(join(bundle, 'rootfs/app/run.sh'))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(bundle, 'rootfs/app/data/message.txt'))).mode & 0o777).toBe(0o644);
    expect(await readlink(join(bundle, 'rootfs/app/current'))).toBe('data/message.txt');
    expect((await lstat(join(bundle, 'rootfs/app/run.sh'))).mtime.getTime()).toBe(1_700_000_000_000);
  });

  it('writes a multi-platform index that skopeo resolves per platform', async () => {
    const multi = await buildImage(
      {
        context: await appContext(),
        sourceDateEpoch: 0,
        blobDir: join(dir, 'multi-blobs'),
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64' },
        ],
      },
      scratch,
    );
    const out = join(dir, 'multi');
    await writeToLayout(multi, await OciLayout.create(out), 'multi');
    const raw = JSON.parse(await skopeo('inspect', '--raw', `oci:${out}:multi`)) as { manifests: Array<{ digest: string }> };
    expect(raw.manifests.map((m) => m.digest)).toEqual(multi.manifests.map((m) => m.descriptor.digest));
    // skopeo reports the index digest and the chosen platform's config.
    const arm = JSON.parse(await skopeo('--override-arch', 'arm64', 'inspect', `oci:${out}:multi`)) as { Architecture: string; Digest: string };
    expect(arm).toMatchObject({ Architecture: 'arm64', Digest: multi.digest });
    expect(multi.manifests.map((m) => m.manifest.layers)).toEqual([multi.manifests[0]!.manifest.layers, multi.manifests[0]!.manifest.layers]);
  });
});

const noPodman = skip ?? missingTool('podman');

describe.skipIf(noPodman)('a built image run by podman', () => {
  // podman names oci: images after their directory, which must be lowercase.
  const root = join(tmpdir(), `gantry-image-podman-${randomBytes(6).toString('hex')}`);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('runs the app on the busybox base from an OCI layout', async () => {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n');
    await writeFile(join(root, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${root}/graph"\nrunroot = "${root}/run"\n`);
    const baseDir = await busyboxLayout(root);
    const built = await buildImage(
      { context: await appContext(), sourceDateEpoch: 1_700_000_000, blobDir: join(root, 'blobs'), entrypoint: ['/bin/busybox', 'sh', '/app/run.sh'], user: '1000' },
      layoutSource(await OciLayout.open(baseDir), 'busybox', 'busybox'),
    );
    await writeToLayout(built, await OciLayout.create(join(root, 'app')), 'v1');
    const env = { ...process.env, CONTAINERS_CONF: join(root, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(root, 'storage.conf') };
    const { stdout } = await run('podman', ['run', '--rm', '--network', 'none', `oci:${join(root, 'app')}:v1`], { env, timeout: 120_000 });
    expect(stdout.trim()).toBe('hello from gantry');
    const whoami = await run('podman', ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/busybox', `oci:${join(root, 'app')}:v1`, 'id', '-u'], { env });
    expect(whoami.stdout.trim()).toBe('1000');
  });
});

describe('writeToLayout without tools', () => {
  it('refuses to list an image whose base layers it cannot get, and lists nothing', async () => {
    const base = await memoryBase('base', [{ os: 'linux', architecture: 'amd64' }]);
    const { readBlob: _unused, ...withoutBlobs } = base.source;
    const built = await buildImage({ context: await appContext(), sourceDateEpoch: 0, blobDir: await temp.make() }, withoutBlobs);
    const layout = await OciLayout.create(await temp.make());
    await expect(writeToLayout(built, layout, 'v1')).rejects.toThrow(LayoutWriteError);
    expect((await layout.index()).manifests).toEqual([]);
    const withBase = await buildImage({ context: await appContext(), sourceDateEpoch: 0, blobDir: await temp.make() }, base.source);
    // The new layer arrived in the failed attempt; the retry does not write it again.
    expect(await writeToLayout(withBase, layout, 'v1')).toEqual({ written: 3, present: 1 });
    expect((await layout.resolve('v1'))?.digest).toBe(withBase.digest);
  });
});
