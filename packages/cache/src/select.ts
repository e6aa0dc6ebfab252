import { homedir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@gantry/action-kit';
import { createGitHubStore, loadActionsCache } from './github-store';
import { createLocalStore } from './local-store';
import type { LocalStoreOptions } from './local-store';
import type { CacheStore } from './types';

export interface SelectCacheStoreOptions extends LocalStoreOptions {
  /** Where the local store keeps entries when there is no cache service. */
  localDir: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Mirrors @actions/cache's isGhes(): v2 is never used on GitHub Enterprise Server. */
function isGhes(env: NodeJS.ProcessEnv): boolean {
  let host: string;
  try {
    host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase();
  } catch {
    return false;
  }
  return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
}

/**
 * Why the GitHub cache service is unusable according to the environment, or
 * undefined when it looks usable. The same variables @actions/cache 6
 * checks (config.getCacheServiceVersion and isFeatureAvailable): service v2
 * (ACTIONS_CACHE_SERVICE_V2, not on GHES) needs ACTIONS_RESULTS_URL, v1
 * needs ACTIONS_CACHE_URL.
 */
export function missingCacheService(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ACTIONS_CACHE_SERVICE_V2 && !isGhes(env)) {
    return env.ACTIONS_RESULTS_URL ? undefined : 'ACTIONS_CACHE_SERVICE_V2 set but ACTIONS_RESULTS_URL unset';
  }
  return env.ACTIONS_CACHE_URL ? undefined : 'ACTIONS_CACHE_URL unset';
}

/** ${XDG_CACHE_HOME:-~/.cache}/gantry/dependencies: a default for `localDir`. */
export function defaultLocalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'gantry', 'dependencies');
}

/**
 * The GitHub store when the Actions cache service is there, else a local
 * store in `localDir`. Decides from environment variables first and imports
 * @actions/cache only when they say the service may be there (then
 * isFeatureAvailable(), which reads process.env, has the last word), so a
 * local run never loads it. `reason` is one line for the log.
 */
export async function selectCacheStore(options: SelectCacheStoreOptions): Promise<{ store: CacheStore; reason: string }> {
  const { localDir, logger, env = process.env, ...localOptions } = options;
  const local = (why: string) => {
    const store = createLocalStore(localDir, logger, localOptions);
    return { store, reason: `local cache store ${store.location} (no GitHub cache service: ${why})` };
  };
  const missing = missingCacheService(env);
  if (missing) return local(missing);
  let available: boolean;
  try {
    available = (await loadActionsCache()).isFeatureAvailable();
  } catch (error) {
    return local(`@actions/cache could not be loaded: ${(error as Error).message}`);
  }
  if (!available) return local('@actions/cache isFeatureAvailable() returned false');
  const variable = env.ACTIONS_CACHE_SERVICE_V2 && !isGhes(env) ? 'ACTIONS_RESULTS_URL (cache service v2)' : 'ACTIONS_CACHE_URL (cache service v1)';
  return { store: createGitHubStore(logger), reason: `GitHub Actions cache service (${variable} set)` };
}
