import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { posix } from 'node:path';
import tar from 'tar-stream';
import type { ContextEntry } from './context';
import { ContextError } from './errors';
import { ReadAhead } from './readahead';

/** Files up to this size are read whole (and ahead): one read beats a stream's setup for node_modules' many small files. */
const WHOLE_FILE = 1 << 20;

export interface Owner {
  uid: number;
  gid: number;
}

export interface TarOptions {
  /** Absolute directory in the image the entries land under, e.g. `/app`. */
  destination: string;
  sourceDateEpoch: number;
  /** Owner of the destination directory and everything copied (default 0:0); its parents stay root's. */
  owner?: Owner;
}

/**
 * Streams entries as a deterministic tar to `consume`: ustar headers in the
 * given (sorted) order, mtime = SOURCE_DATE_EPOCH, uid/gid from `owner` with
 * empty user and group names, modes reduced to what git keeps (0755 if any
 * execute bit is set, else 0644; directories 0755; symlinks 0777) so the
 * umask of the machine that produced the files does not matter, symlink
 * targets verbatim. Names gain the destination prefix, no `./`, and a
 * trailing `/` on directories; the destination's parents come first.
 * Returns the number of entries written.
 */
export async function writeTar(entries: ContextEntry[], options: TarOptions, consume: (chunk: Buffer) => unknown): Promise<number> {
  const pack = tar.pack();
  const consumed = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) await consume(chunk);
  })();
  let count = 0;
  try {
    const mtime = new Date(options.sourceDateEpoch * 1000);
    const owner = options.owner ?? { uid: 0, gid: 0 };
    const root = options.destination.replace(/^\/+|\/+$/g, '');
    const parents = root ? root.split('/') : [];
    for (let depth = 1; depth <= parents.length; depth++) {
      const who = depth === parents.length ? owner : { uid: 0, gid: 0 };
      await addEntry(pack, { name: `${parents.slice(0, depth).join('/')}/`, type: 'directory', mode: 0o755, mtime, ...who });
      count++;
    }
    const readAhead = new ReadAhead(entries.map((entry) => (entry.type === 'file' && entry.size <= WHOLE_FILE ? entry : undefined)));
    for (const [index, entry] of entries.entries()) {
      const name = root ? posix.join(root, entry.path) : entry.path;
      const common = { mtime, ...owner };
      if (entry.type === 'directory') await addEntry(pack, { name: `${name}/`, type: 'directory', mode: 0o755, ...common });
      else if (entry.type === 'symlink') await addEntry(pack, { name, type: 'symlink', linkname: entry.linkname ?? '', mode: 0o777, ...common });
      else {
        const header = { name, type: 'file' as const, mode: entry.mode & 0o111 ? 0o755 : 0o644, size: entry.size, ...common };
        await addFile(pack, header, entry, entry.size <= WHOLE_FILE ? readAhead.get(index) : undefined);
      }
      count++;
    }
    pack.finalize();
    await consumed;
    return count;
  } catch (error) {
    pack.destroy();
    await consumed.catch(() => undefined);
    throw error;
  }
}

type EntryHeader = Partial<tar.Header> & { name: string };

function addEntry(pack: tar.Pack, header: EntryHeader, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (content) pack.entry(header, content, done);
    else pack.entry(header, done);
  });
}

async function addFile(pack: tar.Pack, header: EntryHeader, entry: ContextEntry, whole: Promise<Buffer> | undefined): Promise<void> {
  const fail = (cause: unknown): never => {
    throw new ContextError(`cannot package ${entry.path}: ${(cause as Error).message} (was it changed during the build?)`, { cause });
  };
  if (whole) {
    const content = await whole.catch(fail);
    if (content.length !== entry.size) fail(new Error(`its size changed from ${entry.size} to ${content.length} bytes`));
    return addEntry(pack, header, content);
  }
  let failed: unknown;
  const done = new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    void (async () => {
      try {
        for await (const chunk of createReadStream(entry.source)) {
          if (!sink.write(chunk as Buffer)) await once(sink as unknown as NodeJS.EventEmitter, 'drain');
        }
        sink.end(undefined);
      } catch (error) {
        failed = error;
        sink.destroy(error as Error);
      }
    })();
  });
  await done.catch((error: unknown) => fail(failed ?? error));
}
