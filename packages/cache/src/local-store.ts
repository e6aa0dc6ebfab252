import { lstat, mkdir, mkdtemp, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@gantry/action-kit';
import { ARCHIVE_FILE, META_FILE, TEMP_PREFIX, entryId, findEntry, pruneStore, readEntries } from './local-entries';
import type { EntryMeta } from './local-entries';
import { MAX_KEY_LENGTH } from './keys';
import { pathsVersion, resolveCachePaths } from './paths';
import type { CachePath } from './paths';
import { createArchive, extractArchive } from './tar';
import type { CacheStore, SaveOutcome } from './types';

export interface LocalStoreOptions {
  /**
   * What relative cache paths are relative to, fixed when the store is
   * created. Default: GITHUB_WORKSPACE, else process.cwd() — the same base
   * @actions/cache uses, so one path list works with both stores.
   */
  cwd?: string;
  /** Total archive bytes kept; least recently used entries go first. Default 4 GiB. */
  maxBytes?: number;
}

export const DEFAULT_LOCAL_MAX_BYTES = 4 * 1024 ** 3;

/** The same key checks the GitHub cache makes, so a key that works locally works there. */
function keyProblem(keys: string[]): string | undefined {
  for (const key of keys) {
    if (key.length > MAX_KEY_LENGTH) return `key longer than ${MAX_KEY_LENGTH} characters: ${key}`;
    if (key.includes(',')) return `key contains a comma: ${key}`;
  }
  if (keys.length > 10) return 'more than 10 keys';
  return undefined;
}

async function removeTargets(targets: CachePath[]): Promise<void> {
  for (const target of targets) await rm(target.absolute, { recursive: true, force: true });
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * A cache store in a local directory with the GitHub cache's semantics:
 * immutable entries, exact key then newest entry per restore prefix, paths
 * part of an entry's identity. Archives are made with the system tar, so
 * symlinks, modes and mtimes survive. Restoring removes the target paths
 * first, so stale files do not outlive a restore. Paths are plain (no
 * globs); "~" is expanded; relative ones are taken from `options.cwd`.
 * Paths that contain the cwd or the home directory are refused
 * (UnsafeCachePathError, thrown), since a restore would remove them.
 */
export function createLocalStore(dir: string, logger: Logger, options: LocalStoreOptions = {}): CacheStore {
  const storeDir = path.resolve(dir);
  const cwd = path.resolve(options.cwd ?? (process.env.GITHUB_WORKSPACE || process.cwd()));
  const maxBytes = options.maxBytes ?? DEFAULT_LOCAL_MAX_BYTES;

  async function restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined> {
    const targets = resolveCachePaths(paths, cwd);
    const problem = keyProblem([key, ...restoreKeys]);
    if (problem) {
      logger.warning(`Cache not restored: ${problem}.`);
      return undefined;
    }
    const entry = findEntry(await readEntries(storeDir, logger).catch(() => []), key, restoreKeys, pathsVersion(paths));
    if (!entry) {
      logger.info(`No cache entry for ${key} in ${storeDir}.`);
      return undefined;
    }
    try {
      await removeTargets(targets);
      await extractArchive(path.join(entry.dir, ARCHIVE_FILE), cwd);
    } catch (error) {
      // A half-extracted tree is worse than none: the install then starts clean.
      await removeTargets(targets).catch(() => {});
      logger.warning(`Cache not restored from ${entry.dir}: ${(error as Error).message}`);
      return undefined;
    }
    const now = new Date();
    await utimes(path.join(entry.dir, META_FILE), now, now).catch(() => {}); // last use, for eviction
    logger.info(`Restored cache ${entry.key} from ${storeDir} (${entry.size} bytes).`);
    return entry.key;
  }

  async function save(paths: string[], key: string): Promise<SaveOutcome> {
    const targets = resolveCachePaths(paths, cwd);
    const problem = keyProblem([key]);
    if (problem) {
      logger.warning(`Cache not saved: ${problem}.`);
      return 'failed';
    }
    const version = pathsVersion(paths);
    const finalDir = path.join(storeDir, entryId(key, version));
    if (await exists(finalDir)) {
      logger.info(`Cache entry ${key} already exists in ${storeDir}; entries are immutable.`);
      return 'exists';
    }
    const present: CachePath[] = [];
    for (const target of targets) if (await exists(target.absolute)) present.push(target);
    if (present.length === 0) {
      logger.warning(`Cache not saved: none of the paths exists (${paths.join(', ')}).`);
      return 'failed';
    }
    let tempDir: string | undefined;
    try {
      await mkdir(storeDir, { recursive: true });
      tempDir = await mkdtemp(path.join(storeDir, TEMP_PREFIX));
      const archive = path.join(tempDir, ARCHIVE_FILE);
      await createArchive(archive, cwd, present.map((target) => target.member));
      const meta: EntryMeta = { format: 1, key, version, paths, created: new Date().toISOString(), size: (await stat(archive)).size };
      await writeFile(path.join(tempDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      try {
        // Atomic: a directory cannot be renamed onto a non-empty one, so the first of two racing saves wins.
        await rename(tempDir, finalDir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
        logger.info(`Cache entry ${key} was saved by someone else meanwhile; keeping theirs.`);
        return 'exists';
      }
      tempDir = undefined;
      logger.info(`Saved cache ${key} to ${storeDir} (${meta.size} bytes).`);
    } catch (error) {
      logger.warning(`Cache not saved to ${storeDir}: ${(error as Error).message}`);
      return 'failed';
    } finally {
      if (tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => {});
    }
    await pruneStore(storeDir, maxBytes, finalDir, logger).catch((error: Error) =>
      logger.warning(`Could not prune the cache store ${storeDir}: ${error.message}`),
    );
    return 'saved';
  }

  return { kind: 'local', location: storeDir, restore, save };
}
