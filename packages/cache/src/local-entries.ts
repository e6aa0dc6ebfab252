import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@gantry/action-kit';

/*
 * On-disk layout of a local store directory:
 *   <dir>/<id>/meta.json    EntryMeta; its mtime is the entry's last use
 *   <dir>/<id>/archive.tar
 *   <dir>/.tmp-*            entries being written or deleted
 * An entry directory appears only by rename of a complete temp directory,
 * so readers never see half an entry.
 */
export const META_FILE = 'meta.json';
export const ARCHIVE_FILE = 'archive.tar';
export const TEMP_PREFIX = '.tmp-';

export interface EntryMeta {
  format: 1;
  key: string;
  /** pathsVersion of the paths saved. */
  version: string;
  paths: string[];
  /** ISO time the entry was saved. */
  created: string;
  /** Archive size in bytes. */
  size: number;
}

export interface Entry extends EntryMeta {
  dir: string;
  lastUsedMs: number;
}

/** The directory name of an entry: one per key and paths, like GitHub's key + version. */
export function entryId(key: string, version: string): string {
  return createHash('sha256').update(`${version}\0${key}`).digest('hex').slice(0, 40);
}

/** Every complete entry in `dir` (none when `dir` does not exist). Unreadable entries are skipped. */
export async function readEntries(dir: string, logger: Logger): Promise<Entry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: Entry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const metaPath = path.join(dir, name, META_FILE);
    try {
      const meta = JSON.parse(await readFile(metaPath, 'utf8')) as EntryMeta;
      if (meta.format !== 1 || typeof meta.key !== 'string') throw new Error('unknown metadata format');
      entries.push({ ...meta, dir: path.join(dir, name), lastUsedMs: (await stat(metaPath)).mtimeMs });
    } catch (error) {
      // Also a race with a concurrent prune: skipping is right either way.
      logger.debug(`Skipping cache entry ${name}: ${(error as Error).message}`);
    }
  }
  return entries;
}

/**
 * GitHub's lookup: the exact key first, then for each restore key in order
 * the most recently created entry whose key starts with it. Only entries
 * saved for the same paths (`version`) count.
 */
export function findEntry(entries: Entry[], key: string, restoreKeys: string[], version: string): Entry | undefined {
  const candidates = entries.filter((entry) => entry.version === version);
  const exact = candidates.find((entry) => entry.key === key);
  if (exact) return exact;
  for (const prefix of restoreKeys) {
    const newest = candidates
      .filter((entry) => entry.key.startsWith(prefix))
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
    if (newest) return newest;
  }
  return undefined;
}

/** Removes an entry by renaming it out of sight first, so readers never see it half-deleted. */
export async function removeEntry(storeDir: string, entryDir: string): Promise<void> {
  const doomed = path.join(storeDir, `${TEMP_PREFIX}del-${randomBytes(6).toString('hex')}`);
  try {
    await rename(entryDir, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
}

/**
 * Evicts least recently used entries until the store holds at most
 * `maxBytes` of archives, never the entry `keepDir` just saved. Also clears
 * temp directories older than an hour, left by crashed saves.
 */
export async function pruneStore(dir: string, maxBytes: number, keepDir: string, logger: Logger): Promise<void> {
  const staleBefore = Date.now() - 3_600_000;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const temp = path.join(dir, name);
    const info = await stat(temp).catch(() => undefined);
    if (info && info.mtimeMs < staleBefore) await rm(temp, { recursive: true, force: true });
  }
  const entries = (await readEntries(dir, logger)).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let total = entries.reduce((sum, entry) => sum + entry.size, 0);
  for (const entry of entries) {
    if (total <= maxBytes) break;
    if (entry.dir === keepDir) continue;
    await removeEntry(dir, entry.dir);
    total -= entry.size;
    logger.info(`Evicted cache entry ${entry.key} (${entry.size} bytes; the store keeps at most ${maxBytes} bytes).`);
  }
}
