import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CacheKeyError } from './errors';
import type { CacheKeyParts, CacheKeys } from './types';

/** Bumped when the key layout or the archive format changes, so old entries are never restored. */
const KEY_PREFIX = 'gantry-v1';
/** GitHub rejects keys longer than this. */
export const MAX_KEY_LENGTH = 512;
/** Longer segments are replaced by a hash so seven segments always fit in MAX_KEY_LENGTH. */
const MAX_SEGMENT_LENGTH = 80;

/**
 * sha256 (hex) of the given files: their paths relative to `baseDir` (sorted,
 * "/"-separated) and their contents, so the order they are listed in does not
 * matter but a rename or an edit does. Missing files are left out; throws
 * CacheKeyError when none of them exists.
 */
export async function hashFiles(files: string[], baseDir: string): Promise<string> {
  const byRelative = new Map<string, string>();
  for (const file of files) {
    const absolute = path.resolve(baseDir, file);
    byRelative.set(path.relative(baseDir, absolute).split(path.sep).join('/'), absolute);
  }
  const lines: string[] = [];
  for (const relative of [...byRelative.keys()].sort()) {
    let content: Buffer;
    try {
      content = await readFile(byRelative.get(relative)!);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // Hashing each file first keeps path and content boundaries unambiguous.
    lines.push(`${relative}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  if (lines.length === 0) {
    throw new CacheKeyError(`None of the lockfiles exists in ${baseDir}: ${files.join(', ') || '(none given)'}.`);
  }
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return hash.digest('hex');
}

/**
 * Percent-encodes everything but [A-Za-z0-9._+], so no part can contain the
 * "-" separator (or a comma, which GitHub rejects): a prefix ending in "-"
 * then always ends on a part boundary. Over-long parts become "@" + a hash
 * ("@" itself is always encoded, so this cannot collide with a literal part).
 */
function segment(value: string): string {
  const encoded = Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9._+]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  if (encoded.length <= MAX_SEGMENT_LENGTH) return encoded;
  return `@${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/**
 * The dependency cache key and its restore keys:
 *
 *   key:         gantry-v1-<toolchain>-<os>-<arch>-<runtime>-<suffix>-<lockHash>
 *   restoreKeys: [gantry-v1-<toolchain>-<os>-<arch>-<runtime>-<suffix>-]
 *
 * The only fallback drops the lockfile hash: an older install for the same
 * toolchain, OS, architecture and exact runtime is a good start for
 * `npm ci`, but modules built for another Node/OS/arch are not, so no prefix
 * ever crosses those. The suffix sits before the hash and inside the
 * restore prefix, so changing it starts from scratch rather than falling
 * back into entries saved under another suffix. Without a suffix its slot is
 * empty ("--"), which no suffixed key can match as a prefix.
 */
export function cacheKeys(parts: CacheKeyParts): CacheKeys {
  const required = ['toolchain', 'os', 'arch', 'runtime', 'lockHash'] as const;
  for (const name of required) {
    if (!parts[name]?.trim()) throw new CacheKeyError(`Cache key part "${name}" is empty.`);
  }
  const scope = [KEY_PREFIX, parts.toolchain, parts.os, parts.arch, parts.runtime, parts.suffix ?? '']
    .map((part, index) => (index === 0 ? part : segment(part.trim())))
    .join('-');
  const restoreKey = `${scope}-`;
  const key = `${restoreKey}${segment(parts.lockHash.trim())}`;
  // Unreachable with MAX_SEGMENT_LENGTH, but the service limit must hold whatever changes above.
  if (key.length > MAX_KEY_LENGTH) throw new CacheKeyError(`Cache key is longer than ${MAX_KEY_LENGTH} characters: ${key}`);
  return { key, restoreKeys: [restoreKey] };
}
