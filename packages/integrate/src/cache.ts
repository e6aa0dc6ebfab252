import { isAbsolute, join } from 'node:path';
import { glob } from 'tinyglobby';
import { cacheKeys, hashFiles, restoreDependencies, saveDependencies, selectCacheStore } from '@gantry/cache';
import type { CacheStore } from '@gantry/cache';
import type { Logger } from '@gantry/action-kit';
import type { IntegrateOptions } from './options';
import type { Toolchain } from './toolchains';

/** What the report says about the dependency cache. */
export interface CacheReport {
  enabled: boolean;
  hit: 'true' | 'partial' | 'false';
  store?: 'github' | 'local';
  location?: string;
  /** One line: which store and why, or why there is no cache. */
  reason: string;
  key?: string;
  restoreKeys?: string[];
  matchedKey?: string;
  paths?: string[];
  restoreMs?: number;
  saved?: boolean;
  saveReason?: string;
  saveMs?: number;
}

interface Plan {
  store: CacheStore;
  keys: { key: string; restoreKeys: string[] };
  paths: string[];
}

/**
 * The paths to cache. A package store in the home directory (~/.npm, ~/.cache/pip) is worth
 * caching on an ephemeral GitHub runner, but off GitHub it already persists between runs:
 * copying it into the local store would only duplicate it. So the local store keeps what lives
 * in the project (node_modules, target/), relative to it, so that entries serve any checkout of
 * the project; GitHub's store takes absolute paths (it would resolve relative ones against the
 * workspace root, not the working directory).
 */
export function cachePathsFor(kind: 'github' | 'local', toolchain: Toolchain, workingDirectory: string): string[] {
  return toolchain.cachePaths
    .filter((p) => kind === 'github' || !isAbsolute(p))
    .map((p) => (kind === 'local' || isAbsolute(p) ? p : join(workingDirectory, p)));
}

/** The cache step of a run: restore before install, save after a successful one. */
export class DependencyCache {
  private plan?: Plan;
  readonly report: CacheReport = { enabled: false, hit: 'false', reason: 'cache disabled by the "cache" input' };

  constructor(private readonly logger: Logger) {}

  async restore(options: IntegrateOptions, toolchain: Toolchain, runtime: string): Promise<CacheReport> {
    if (!options.cache.enabled) return this.report;
    const lockfiles = await glob(toolchain.lockfiles, { cwd: options.workingDirectory, ignore: ['**/node_modules/**'] });
    if (lockfiles.length === 0) {
      Object.assign(this.report, { reason: `no ${toolchain.lockfiles.join(' or ')} to key the cache on` });
      return this.report;
    }
    const lockHash = await hashFiles(lockfiles, options.workingDirectory);
    const keys = cacheKeys({
      toolchain: toolchain.id,
      os: options.os,
      arch: options.arch,
      runtime,
      lockHash,
      suffix: options.cache.keySuffix,
    });
    const { store, reason } = await selectCacheStore({
      localDir: options.cache.localDir,
      logger: this.logger,
      cwd: options.workingDirectory,
    });
    const paths = cachePathsFor(store.kind, toolchain, options.workingDirectory);
    if (paths.length === 0) {
      Object.assign(this.report, {
        store: store.kind,
        location: store.location,
        reason: `nothing to cache in the local store: ${toolchain.cachePaths.join(', ')} already persist on this machine`,
      });
      return this.report;
    }
    this.plan = { store, keys, paths };
    const restored = await restoreDependencies(store, paths, keys);
    Object.assign(this.report, {
      enabled: true,
      hit: restored.hit,
      store: store.kind,
      location: store.location,
      reason,
      key: keys.key,
      restoreKeys: keys.restoreKeys,
      matchedKey: restored.matchedKey,
      paths,
      restoreMs: restored.durationMs,
    });
    return this.report;
  }

  /** Called only after a successful install; saves on a miss or a partial hit. */
  async save(): Promise<void> {
    if (!this.plan) return;
    const { store, keys, paths } = this.plan;
    const saved = await saveDependencies(store, paths, keys, { hit: this.report.hit, matchedKey: this.report.matchedKey, durationMs: 0 });
    Object.assign(this.report, { saved: saved.saved, saveReason: saved.reason, saveMs: saved.durationMs });
  }
}
