import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { once } from 'node:events';
import tar from 'tar-stream';
import { MEDIA_TYPES } from '@gantry/oci';
import type { ContextEntry } from './context';
import { ContextError } from './errors';
import { DEFAULT_COMPRESSION_LEVEL, StableGzip } from './gzip';
import { ReadAhead } from './readahead';

/** Files up to this size are read whole: one read beats a stream's setup for the many small files of node_modules. */
const WHOLE_FILE = 1 << 20;

export interface Owner {
  uid: number;
  gid: number;
}

export interface LayerOptions {
  /** Absolute directory in the image the entries land under, e.g. `/app`. */
  destination: string;
  sourceDateEpoch: number;
  /** Owner of the destination directory and everything copied (default 0:0); its parents stay root's. */
  owner?: Owner;
  compressionLevel?: number;
  /** Directory the compressed blob is written to, named by its digest. */
  outputDir: string;
}

export interface LayerBlob {
  mediaType: string;
  /** Digest of the compressed blob. */
  digest: string;
  /** Digest of the uncompressed tar: the config's rootfs diff_id. */
  diffId: string;
  size: number;
  uncompressedSize: number;
  /** The blob file. */
  path: string;
  /** Tar entries written, directories included. */
  entryCount: number;
}

/**
 * Writes entries as a deterministic tar+gzip layer: ustar headers in the
 * given (sorted) order, mtime = SOURCE_DATE_EPOCH, uid/gid from `owner`
 * with empty user and group names, modes reduced to what git keeps (0755 if
 * any execute bit is set, else 0644; directories 0755; symlinks 0777) so the
 * umask of the machine that produced the files does not matter, symlink
 * targets kept verbatim. Names gain the destination prefix, no `./`, and a
 * trailing `/` on directories; the destination's parents are emitted first.
 */
export async function writeLayer(entries: ContextEntry[], options: LayerOptions): Promise<LayerBlob> {
  await mkdir(options.outputDir, { recursive: true });
  const temp = join(options.outputDir, `.layer-${randomBytes(8).toString('hex')}`);
  const file = createWriteStream(temp);
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let size = 0;
  let uncompressedSize = 0;
  const gzip = new StableGzip(options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL, (chunk) => {
    blobHash.update(chunk);
    size += chunk.length;
    file.write(chunk);
  });
  const pack = tar.pack();
  const consumed = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      diffHash.update(chunk);
      uncompressedSize += chunk.length;
      gzip.push(chunk);
      if (file.writableNeedDrain) await once(file, 'drain');
    }
    gzip.finish();
    file.end();
    await once(file, 'finish');
  })();
  let entryCount = 0;
  try {
    const mtime = new Date(options.sourceDateEpoch * 1000);
    const owner = options.owner ?? { uid: 0, gid: 0 };
    const root = options.destination.replace(/^\/+|\/+$/g, '');
    const parents = root ? root.split('/') : [];
    for (let depth = 1; depth <= parents.length; depth++) {
      const name = `${parents.slice(0, depth).join('/')}/`;
      const who = depth === parents.length ? owner : { uid: 0, gid: 0 };
      await addEntry(pack, { name, type: 'directory', mode: 0o755, mtime, ...who });
      entryCount++;
    }
    const readAhead = new ReadAhead(entries.map((entry) => (entry.type === 'file' && entry.size <= WHOLE_FILE ? entry : undefined)));
    for (const [index, entry] of entries.entries()) {
      const name = root ? posix.join(root, entry.path) : entry.path;
      const common = { mtime, ...owner };
      if (entry.type === 'directory') await addEntry(pack, { name: `${name}/`, type: 'directory', mode: 0o755, ...common });
      else if (entry.type === 'symlink') await addEntry(pack, { name, type: 'symlink', linkname: entry.linkname ?? '', mode: 0o777, ...common });
      else await addFile(pack, { name, type: 'file', mode: entry.mode & 0o111 ? 0o755 : 0o644, size: entry.size, ...common }, entry, entry.size <= WHOLE_FILE ? readAhead.get(index) : undefined);
      entryCount++;
    }
    pack.finalize();
    await consumed;
  } catch (error) {
    pack.destroy();
    file.destroy();
    await consumed.catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  const digest = `sha256:${blobHash.digest('hex')}`;
  const path = join(options.outputDir, digest.slice('sha256:'.length));
  await rename(temp, path);
  return { mediaType: MEDIA_TYPES.ociLayerGzip, digest, diffId: `sha256:${diffHash.digest('hex')}`, size, uncompressedSize, path, entryCount };
}

type EntryHeader = Partial<tar.Header> & { name: string };

function addEntry(pack: tar.Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve())));
}

async function addFile(pack: tar.Pack, header: EntryHeader, entry: ContextEntry, whole: Promise<Buffer> | undefined): Promise<void> {
  if (whole) {
    const content = await whole.catch((error: unknown) => {
      throw new ContextError(`cannot package ${entry.path}: ${(error as Error).message}`, { cause: error });
    });
    if (content.length !== entry.size) throw new ContextError(`cannot package ${entry.path}: it changed size during the build`);
    return new Promise((resolve, reject) => pack.entry(header, content, (error) => (error ? reject(error) : resolve())));
  }
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    void (async () => {
      try {
        for await (const chunk of createReadStream(entry.source)) {
          if (!sink.write(chunk as Buffer)) await once(sink as unknown as NodeJS.EventEmitter, 'drain');
        }
        sink.end(undefined);
      } catch (error) {
        failed = error as Error;
        sink.destroy(failed);
      }
    })();
  });
  await done.catch((error: unknown) => {
    const cause = failed ?? error;
    throw new ContextError(`cannot package ${entry.path}: ${(cause as Error).message} (was it changed during the build?)`, { cause });
  });
}
