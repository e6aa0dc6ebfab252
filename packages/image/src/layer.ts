import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { MEDIA_TYPES, type BlobContent } from '@gantry/oci';
import type { ContextEntry } from './context';
import { compressionId, DEFAULT_COMPRESSION_LEVEL, StableGzip } from './gzip';
import { writeTar, type TarOptions } from './tar';

export interface LayerOptions extends TarOptions {
  compressionLevel?: number;
  /** Directory the compressed blob is written to, named by its digest. */
  outputDir: string;
  /** Compressed layers made before, by diff_id: a hit skips compression. */
  reuse?: LayerReuse;
}

/** A store of compressed layers by diff_id and compressor (see {@link compressionId}). */
export interface LayerReuse {
  lookup(diffId: string, compression: string): Promise<{ digest: string; size: number; content: BlobContent } | undefined>;
  store(diffId: string, compression: string, blob: LayerBlob): Promise<void>;
}

export interface LayerBlob {
  mediaType: string;
  /** Digest of the compressed blob. */
  digest: string;
  /** Digest of the uncompressed tar: the config's rootfs diff_id. */
  diffId: string;
  size: number;
  uncompressedSize: number;
  content: BlobContent;
  /** Tar entries written, directories included. */
  entryCount: number;
  /** Found in `reuse` rather than compressed now. */
  reused: boolean;
}

/**
 * Makes a deterministic tar+gzip layer of the entries (see {@link writeTar}).
 * With `reuse`, the tar is hashed first: a compressed layer already made
 * from the same tar by the same compressor is taken as it is — the bytes
 * compression would give, without the cost.
 */
export async function writeLayer(entries: ContextEntry[], options: LayerOptions): Promise<LayerBlob> {
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!options.reuse) {
    let entryCount = 0;
    const blob = await compress(options.outputDir, level, async (push) => {
      entryCount = await writeTar(entries, options, push);
    });
    return { ...blob, entryCount, reused: false };
  }
  // Hash the tar, keeping it on disk: a miss compresses that file instead of walking the context again.
  const compression = compressionId(level);
  await mkdir(options.outputDir, { recursive: true });
  const tarPath = join(options.outputDir, `.tar-${randomBytes(8).toString('hex')}`);
  try {
    const file = createWriteStream(tarPath);
    const hash = createHash('sha256');
    let uncompressedSize = 0;
    const entryCount = await writeTar(entries, options, async (chunk) => {
      hash.update(chunk);
      uncompressedSize += chunk.length;
      if (!file.write(chunk)) await once(file, 'drain');
    }).catch((error: unknown) => {
      file.destroy();
      throw error;
    });
    file.end();
    await once(file, 'finish');
    const diffId = `sha256:${hash.digest('hex')}`;
    const hit = await options.reuse.lookup(diffId, compression);
    if (hit) return { mediaType: MEDIA_TYPES.ociLayerGzip, ...hit, diffId, uncompressedSize, entryCount, reused: true };
    const blob = await compress(options.outputDir, level, async (push) => {
      for await (const chunk of createReadStream(tarPath, { highWaterMark: 1 << 20 })) await push(chunk as Buffer);
    });
    const made = { ...blob, entryCount, reused: false };
    await options.reuse.store(diffId, compression, made);
    return made;
  } finally {
    await rm(tarPath, { force: true });
  }
}

type Compressed = Omit<LayerBlob, 'entryCount' | 'reused'>;

/** gzips what `feed` pushes into `<outputDir>/<digest hex>`, hashing both sides. */
async function compress(outputDir: string, level: number, feed: (push: (chunk: Buffer) => Promise<void>) => Promise<void>): Promise<Compressed> {
  await mkdir(outputDir, { recursive: true });
  const temp = join(outputDir, `.layer-${randomBytes(8).toString('hex')}`);
  const file = createWriteStream(temp);
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let size = 0;
  let uncompressedSize = 0;
  const gzip = new StableGzip(level, (chunk) => {
    blobHash.update(chunk);
    size += chunk.length;
    file.write(chunk);
  });
  try {
    await feed(async (chunk) => {
      diffHash.update(chunk);
      uncompressedSize += chunk.length;
      gzip.push(chunk);
      if (file.writableNeedDrain) await once(file, 'drain');
    });
    gzip.finish();
    file.end();
    await once(file, 'finish');
  } catch (error) {
    file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  const digest = `sha256:${blobHash.digest('hex')}`;
  const path = join(outputDir, digest.slice('sha256:'.length));
  await rename(temp, path);
  return { mediaType: MEDIA_TYPES.ociLayerGzip, digest, diffId: `sha256:${diffHash.digest('hex')}`, size, uncompressedSize, content: { path } };
}
