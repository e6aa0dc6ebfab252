import { execFileSync } from 'node:child_process';
import { chmod, chown, cp, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, scratch, type BuildOptions, type BuiltImage } from '@gantry/image';
import { readLayer, TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const EPOCH = 1_700_000_000;
const FILES = {
  'server.js': 'console.log("hi")\n',
  'bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'lib/util.js': 'export const x = 1;\n',
  'lib/ünïcode-名前.txt': 'utf-8 names\n',
  [`deep/${'d'.repeat(90)}/${'f'.repeat(90)}.txt`]: 'long path\n',
  'current': { link: 'lib/util.js' },
  'empty/.keep': '',
};

async function build(context: string, extra: Partial<BuildOptions> = {}): Promise<BuiltImage> {
  return buildImage({ context, sourceDateEpoch: EPOCH, blobDir: await temp.make('gantry-blobs-'), cmd: ['node', 'server.js'], ...extra }, scratch);
}

function summary(image: BuiltImage) {
  return { digest: image.digest, layers: image.layers, configs: image.manifests.map((m) => m.manifest.config.digest) };
}

describe('reproducible builds', () => {
  it('gives identical digests for the same inputs in different directories at different times', async () => {
    const a = await temp.make();
    await writeTree(a, FILES);
    const b = await temp.make('another-prefix-');
    await writeTree(b, FILES);
    // A different wall clock for the second copy's files, and later.
    for (const path of ['server.js', 'lib/util.js', 'bin/start']) await utimes(join(b, path), new Date('2031-05-05'), new Date('2031-05-05'));
    const first = await build(a);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await build(b);
    expect(summary(second)).toEqual(summary(first));
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('normalises mtime, owner and group/other permission bits, but keeps execute bits', async () => {
    const a = await temp.make();
    await writeTree(a, FILES);
    const reference = await build(a);
    const b = await temp.make();
    await cp(a, b, { recursive: true, verbatimSymlinks: true });
    await chmod(join(b, 'server.js'), 0o664); // a umask 002 checkout
    await chmod(join(b, 'lib'), 0o775);
    await chmod(join(b, 'bin/start'), 0o775);
    await chown(join(b, 'server.js'), 1234, 4321);
    await utimes(join(b, 'lib/util.js'), new Date(0), new Date(0));
    expect((await build(b)).digest).toBe(reference.digest);
    await chmod(join(b, 'server.js'), 0o744);
    const executable = await build(b);
    expect(executable.digest).not.toBe(reference.digest);
    const entries = await readLayer(await readFile(layerPath(executable)));
    expect(entries.find((e) => e.name === 'app/server.js')?.mode).toBe(0o755);
  });

  it('writes sorted entries with the source date, uid 0, empty names, modes and symlinks', async () => {
    const context = await temp.make();
    await writeTree(context, FILES);
    const image = await build(context, { destination: '/srv/app' });
    const blob = await readFile(layerPath(image));
    // gzip header: no timestamp, no name, OS byte "Unix".
    expect([...blob.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(blob.readUInt32LE(4)).toBe(0);
    expect(blob[9]).toBe(3);
    const entries = await readLayer(blob);
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(['srv/', 'srv/app/']);
    const paths = names.map((n) => n.replace(/\/$/, ''));
    expect(paths).toEqual([...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(names).toContain('srv/app/lib/ünïcode-名前.txt');
    expect(names).toContain(`srv/app/deep/${'d'.repeat(90)}/${'f'.repeat(90)}.txt`);
    for (const entry of entries) {
      expect(entry).toMatchObject({ mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' });
      expect(entry.name.startsWith('./') || entry.name.startsWith('/')).toBe(false);
      if (entry.type === 'directory') expect(entry.name.endsWith('/')).toBe(true);
    }
    expect(entries.find((e) => e.name === 'srv/app/current')).toMatchObject({ type: 'symlink', linkname: 'lib/util.js' });
    expect(entries.find((e) => e.name === 'srv/app/bin/start')).toMatchObject({ mode: 0o755, content: '#!/bin/sh\nexec node server.js\n' });
    expect(entries.find((e) => e.name === 'srv/app/lib/util.js')?.mode).toBe(0o644);
    // GNU tar agrees: numeric owner 0/0 and the source date on every line.
    const listing = execFileSync('tar', ['-tvzf', layerPath(image), '--numeric-owner', '--utc'], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toHaveLength(entries.length);
    for (const line of listing) expect(line).toMatch(/^\S+ 0\/0 +\d+ 2023-11-14 22:13 /);
  });

  it('records diff_id, digest and size of the layer as the config and manifest see them', async () => {
    const context = await temp.make();
    await writeTree(context, FILES);
    const image = await build(context);
    const [platformImage] = image.manifests;
    const layer = image.layers[0]!;
    const blob = await readFile(layerPath(image));
    const { createHash } = await import('node:crypto');
    const { gunzipSync } = await import('node:zlib');
    expect(layer.digest).toBe(`sha256:${createHash('sha256').update(blob).digest('hex')}`);
    expect(layer.size).toBe(blob.length);
    expect(platformImage!.config.rootfs.diff_ids).toEqual([`sha256:${createHash('sha256').update(gunzipSync(blob)).digest('hex')}`]);
    expect(platformImage!.manifest.layers).toEqual([{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }]);
    expect(image.created).toBe('2023-11-14T22:13:20Z');
    expect(platformImage!.config.created).toBe(image.created);
  });
});

function layerPath(image: BuiltImage): string {
  const entry = image.blobs.get(image.layers.find((l) => l.origin === 'new')!.digest)!;
  return (entry.content as { path: string }).path;
}
