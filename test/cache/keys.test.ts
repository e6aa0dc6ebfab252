import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CacheKeyError, cacheKeys, hashFiles } from '../../packages/cache/src/index';
import type { CacheKeyParts } from '../../packages/cache/src/index';
import { cleanupTemps, put, tempDir } from './helpers';

const base: CacheKeyParts = { toolchain: 'npm', os: 'Linux', arch: 'X64', runtime: 'node24.21.0', lockHash: 'abc123' };

/** Whether an entry saved under `saved` could be restored when looking for `wanted`. */
function restorable(saved: CacheKeyParts, wanted: CacheKeyParts): boolean {
  const savedKey = cacheKeys(saved).key;
  const keys = cacheKeys(wanted);
  return savedKey === keys.key || keys.restoreKeys.some((prefix) => savedKey.startsWith(prefix));
}

afterEach(cleanupTemps);

describe('cacheKeys', () => {
  test('lays out toolchain, OS, arch, runtime, empty suffix slot and lock hash', () => {
    expect(cacheKeys(base)).toEqual({
      key: 'gantry-v1-npm-Linux-X64-node24.21.0--abc123',
      restoreKeys: ['gantry-v1-npm-Linux-X64-node24.21.0--'],
    });
  });

  test('falls back across lockfile changes but never across toolchain, OS, arch or runtime', () => {
    expect(restorable(base, { ...base, lockHash: 'def456' })).toBe(true);
    for (const other of [
      { toolchain: 'pnpm' },
      { os: 'macOS' },
      { arch: 'ARM64' },
      { runtime: 'node24.21.1' },
      { runtime: 'node24.21.0-rc' }, // a "-" inside a part must not extend the prefix
      { runtime: 'node24.21' },
    ]) {
      expect(restorable({ ...base, ...other }, base), JSON.stringify(other)).toBe(false);
      expect(restorable(base, { ...base, ...other, lockHash: 'zzz' }), JSON.stringify(other)).toBe(false);
    }
  });

  test('a suffix change starts fresh instead of falling back into other suffixes', () => {
    const dev = { ...base, suffix: 'dev' };
    expect(cacheKeys(dev).key).toBe('gantry-v1-npm-Linux-X64-node24.21.0-dev-abc123');
    expect(restorable(dev, { ...dev, lockHash: 'new' })).toBe(true);
    expect(restorable(dev, { ...base, suffix: 'prod', lockHash: 'new' })).toBe(false);
    expect(restorable(dev, { ...base, suffix: 'de', lockHash: 'new' })).toBe(false);
    expect(restorable(dev, { ...base, lockHash: 'new' })).toBe(false);
    expect(restorable(base, { ...dev, lockHash: 'new' })).toBe(false);
  });

  test('keeps commas out and keys within 512 characters', () => {
    const keys = cacheKeys({ ...base, suffix: 'a,b c', runtime: 'x'.repeat(600), toolchain: 'y,'.repeat(300) });
    for (const key of [keys.key, ...keys.restoreKeys]) {
      expect(key).not.toContain(',');
      expect(key.length).toBeLessThanOrEqual(512);
    }
    expect(cacheKeys({ ...base, suffix: 'a,b c' }).key).toContain('-a%2Cb%20c-');
    expect(cacheKeys({ ...base, runtime: 'x'.repeat(600) }).key).not.toBe(cacheKeys({ ...base, runtime: 'x'.repeat(601) }).key);
  });

  test('rejects an empty part', () => {
    expect(() => cacheKeys({ ...base, runtime: ' ' })).toThrow(CacheKeyError);
    expect(() => cacheKeys({ ...base, lockHash: '' })).toThrow(/lockHash/);
  });
});

describe('hashFiles', () => {
  test('is independent of order and duplicates, sensitive to content and names', async () => {
    const dir = await tempDir('hash');
    await put(path.join(dir, 'package-lock.json'), '{"v":1}');
    await put(path.join(dir, 'sub/package-lock.json'), '{"v":2}');
    const files = ['package-lock.json', 'sub/package-lock.json'];
    const first = await hashFiles(files, dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashFiles([...files].reverse(), dir)).toBe(first);
    expect(await hashFiles([...files, path.join(dir, 'package-lock.json')], dir)).toBe(first);

    await writeFile(path.join(dir, 'sub/package-lock.json'), '{"v":3}');
    const edited = await hashFiles(files, dir);
    expect(edited).not.toBe(first);
    expect(cacheKeys({ ...base, lockHash: edited }).key).not.toBe(cacheKeys({ ...base, lockHash: first }).key);

    await rename(path.join(dir, 'sub'), path.join(dir, 'other'));
    expect(await hashFiles(['package-lock.json', 'other/package-lock.json'], dir)).not.toBe(edited);
  });

  test('skips missing files and throws when none exists', async () => {
    const dir = await tempDir('hash-missing');
    await put(path.join(dir, 'yarn.lock'), 'lock');
    expect(await hashFiles(['yarn.lock', 'package-lock.json'], dir)).toBe(await hashFiles(['yarn.lock'], dir));
    await expect(hashFiles(['package-lock.json', 'pnpm-lock.yaml'], dir)).rejects.toThrow(CacheKeyError);
    await expect(hashFiles(['package-lock.json'], dir)).rejects.toThrow(/package-lock\.json/);
  });
});
