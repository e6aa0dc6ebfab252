import type { CacheKeys, CacheStore, RestoreResult, SaveResult } from './types';

/**
 * Restores dependency paths: hit 'true' when the exact key was found,
 * 'partial' when a restore key matched (install still needed, but warm),
 * 'false' on a miss.
 */
export async function restoreDependencies(store: CacheStore, paths: string[], keys: CacheKeys): Promise<RestoreResult> {
  const started = performance.now();
  const matchedKey = await store.restore(paths, keys.key, keys.restoreKeys);
  const durationMs = Math.round(performance.now() - started);
  if (matchedKey === undefined) return { hit: 'false', durationMs };
  return { hit: matchedKey === keys.key ? 'true' : 'partial', matchedKey, durationMs };
}

/**
 * Saves dependency paths under the primary key unless the restore was an
 * exact hit (the entry exists and entries are immutable). Call it only
 * after a successful install: a failed install must not be cached.
 */
export async function saveDependencies(
  store: CacheStore,
  paths: string[],
  keys: CacheKeys,
  restored: Pick<RestoreResult, 'hit'> & Partial<RestoreResult>,
): Promise<SaveResult> {
  const started = performance.now();
  if (restored.hit === 'true') {
    return { saved: false, reason: `exact cache hit on ${keys.key}: nothing to save`, durationMs: 0 };
  }
  const outcome = await store.save(paths, keys.key);
  const durationMs = Math.round(performance.now() - started);
  const reasons = {
    saved: `saved ${keys.key} to ${store.location}`,
    exists: `${keys.key} already exists in ${store.location} (saved by another run)`,
    failed: `saving ${keys.key} to ${store.location} failed (see the warning above)`,
  } as const;
  return { saved: outcome === 'saved', reason: reasons[outcome], durationMs };
}
