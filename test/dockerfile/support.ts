import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, scratch, writeToLayout } from '@gantry/image';
import { OciLayout, type Platform } from '@gantry/oci';

/**
 * A busybox base (Debian's static /bin/busybox) assembled by @gantry/image
 * into an OCI layout under the tag `busybox`, as there is no registry to pull
 * one from. The layout path is lowercase: buildah names an `oci:` base after
 * its path and refuses upper case there. `remove()` deletes it.
 */
export async function busyboxBase(platforms: Platform[] = [{ os: 'linux', architecture: 'amd64' }]): Promise<{ layoutDir: string; digest: string; remove(): Promise<void> }> {
  const dir = join(tmpdir(), `gantry-dockerfile-base-${randomBytes(6).toString('hex')}`);
  const work = await mkdtemp(join(tmpdir(), 'gantry-dockerfile-base-work-'));
  try {
    const context = join(work, 'context');
    await mkdir(join(context, 'bin'), { recursive: true });
    await copyFile('/bin/busybox', join(context, 'bin', 'busybox'));
    await chmod(join(context, 'bin', 'busybox'), 0o755);
    const built = await buildImage(
      { context, destination: '/', platforms, sourceDateEpoch: 1_600_000_000, blobDir: join(work, 'blobs'), env: { PATH: '/bin' } },
      scratch,
    );
    const layoutDir = join(dir, 'layout');
    await writeToLayout(built, await OciLayout.create(layoutDir), 'busybox');
    return { layoutDir, digest: built.digest, remove: () => rm(dir, { recursive: true, force: true }) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** sha256 of a file, streamed. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
