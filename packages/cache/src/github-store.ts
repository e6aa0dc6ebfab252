import type * as ActionsCacheModule from '@actions/cache';
import type { Logger } from '@gantry/action-kit';
import type { CacheStore, SaveOutcome } from './types';

type ActionsCache = typeof ActionsCacheModule;

let loaded: Promise<ActionsCache> | undefined;

/**
 * @actions/cache is about 2.5 MB bundled: load it only when a GitHub store
 * is actually used, so actions without the cache service start fast.
 */
export function loadActionsCache(): Promise<ActionsCache> {
  loaded ??= import('@actions/cache');
  return loaded;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The GitHub Actions cache service through @actions/cache. Every failure —
 * the service being down, a key another job reserved, a bad key — is a
 * warning and a miss or 'failed', never an exception: caching must not fail
 * the action. @actions/cache does not tell a reserved key from other save
 * failures (it returns -1 for both), so this store reports 'failed' where
 * the local store can say 'exists'.
 */
export function createGitHubStore(logger: Logger): CacheStore {
  async function restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined> {
    try {
      const cache = await loadActionsCache();
      return (await cache.restoreCache(paths, key, restoreKeys)) ?? undefined;
    } catch (error) {
      logger.warning(`Cache not restored from the GitHub Actions cache service: ${message(error)}`);
      return undefined;
    }
  }

  async function save(paths: string[], key: string): Promise<SaveOutcome> {
    try {
      const cache = await loadActionsCache();
      const id = await cache.saveCache(paths, key);
      if (id === -1) {
        logger.warning(`Cache ${key} was not saved (another job may be saving the same key; the cache library logged why).`);
        return 'failed';
      }
      return 'saved';
    } catch (error) {
      logger.warning(`Cache ${key} was not saved to the GitHub Actions cache service: ${message(error)}`);
      return 'failed';
    }
  }

  return { kind: 'github', location: 'GitHub Actions cache service', restore, save };
}
