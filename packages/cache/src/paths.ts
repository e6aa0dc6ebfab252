import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { UnsafeCachePathError } from './errors';

/** A cached path as given, where it is on disk, and the name tar stores it under. */
export interface CachePath {
  given: string;
  absolute: string;
  /** Relative to the store's cwd for relative paths; absolute for absolute ones (tar -P keeps both). */
  member: string;
}

/** "~" and "~/x" expanded to the home directory; anything else unchanged. */
export function expandHome(given: string, home = homedir()): string {
  if (given === '~') return home;
  if (given.startsWith('~/')) return path.join(home, given.slice(2));
  return given;
}

function isSameOrAncestor(candidate: string, of: string): boolean {
  const relative = path.relative(candidate, of);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves paths as the local store archives them: relative ones against
 * `cwd`, absolute ones (after "~" expansion) as they are. Throws
 * UnsafeCachePathError for a path whose removal before a restore would take
 * the workspace or the home directory with it.
 */
export function resolveCachePaths(paths: string[], cwd: string, home = homedir()): CachePath[] {
  return paths.map((given) => {
    const expanded = expandHome(given, home);
    if (/[*?[\]{}]/.test(expanded)) {
      throw new UnsafeCachePathError(given, 'the local store takes plain paths, not glob patterns');
    }
    const absolute = path.resolve(cwd, expanded);
    if (isSameOrAncestor(absolute, cwd)) throw new UnsafeCachePathError(given, `it is ${cwd} or contains it`);
    if (isSameOrAncestor(absolute, home)) throw new UnsafeCachePathError(given, `it is ${home} or contains it`);
    const member = path.isAbsolute(expanded) ? absolute : path.relative(cwd, absolute);
    return { given, absolute, member };
  });
}

/**
 * Like the GitHub cache's "version": entries saved for other paths are not
 * restored, because restoring replaces exactly the paths asked for.
 */
export function pathsVersion(paths: string[]): string {
  return createHash('sha256').update(['tar-v1', ...paths].join('\n')).digest('hex');
}
