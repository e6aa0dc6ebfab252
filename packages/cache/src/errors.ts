/** A cache key could not be built from what was given. */
export class CacheKeyError extends Error {
  override name = 'CacheKeyError';
}

/**
 * A path the local store refuses to manage: restoring removes the target
 * first, so a path such as "." or "~" would wipe the workspace or home.
 */
export class UnsafeCachePathError extends Error {
  override name = 'UnsafeCachePathError';

  constructor(readonly path: string, why: string) {
    super(`Refusing to cache "${path}": ${why}.`);
  }
}

/** The system tar exited non-zero. */
export class TarError extends Error {
  override name = 'TarError';
}
