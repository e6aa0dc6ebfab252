import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerReuse } from './layer';

/**
 * A directory of compressed layers by diff_id, for rebuilds on the same
 * machine or a cache restored from CI: `blobs/sha256/<hex>` and
 * `diffs/<compressor>/<diff hex>` → `{digest, size}`. Every hit is re-hashed,
 * so a damaged cache costs a compression, never a wrong layer.
 */
export function directoryLayerCache(dir: string): LayerReuse {
  const blobPath = (digest: string) => join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const entryPath = (diffId: string, compression: string) =>
    join(dir, 'diffs', createHash('sha256').update(compression).digest('hex').slice(0, 16), diffId.slice('sha256:'.length));
  return {
    async lookup(diffId, compression) {
      let entry: { digest: string; size: number };
      try {
        entry = JSON.parse(await readFile(entryPath(diffId, compression), 'utf8')) as typeof entry;
      } catch {
        return undefined;
      }
      const path = blobPath(entry.digest);
      const info = await stat(path).catch(() => undefined);
      if (info?.size !== entry.size || (await fileDigest(path)) !== entry.digest) return undefined;
      return { digest: entry.digest, size: entry.size, content: { path } };
    },
    async store(diffId, compression, blob) {
      if (Buffer.isBuffer(blob.content)) return;
      const target = blobPath(blob.digest);
      const entry = entryPath(diffId, compression);
      await mkdir(join(target, '..'), { recursive: true });
      await mkdir(join(entry, '..'), { recursive: true });
      const suffix = `.tmp-${randomBytes(6).toString('hex')}`;
      try {
        await copyFile(blob.content.path, target + suffix);
        await rename(target + suffix, target);
        await writeFile(entry + suffix, JSON.stringify({ digest: blob.digest, size: blob.size }));
        await rename(entry + suffix, entry);
      } finally {
        await rm(target + suffix, { force: true });
        await rm(entry + suffix, { force: true });
      }
    },
  };
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
