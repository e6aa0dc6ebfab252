export { hashFiles, cacheKeys, MAX_KEY_LENGTH } from './keys';
export { createLocalStore, DEFAULT_LOCAL_MAX_BYTES } from './local-store';
export type { LocalStoreOptions } from './local-store';
export { createGitHubStore } from './github-store';
export { selectCacheStore, missingCacheService, defaultLocalCacheDir } from './select';
export type { SelectCacheStoreOptions } from './select';
export { restoreDependencies, saveDependencies } from './dependencies';
export { CacheKeyError, UnsafeCachePathError, TarError } from './errors';
export type { CacheHit, CacheKeyParts, CacheKeys, CacheStore, RestoreResult, SaveOutcome, SaveResult } from './types';
