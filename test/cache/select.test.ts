import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { cacheKeys, createGitHubStore, missingCacheService, restoreDependencies, saveDependencies, selectCacheStore } from '../../packages/cache/src/index';
import { cleanupTemps, recordingLogger, tempDir } from './helpers';

// Stands in for @actions/cache; `loads` counts how often the module was actually imported.
const fake = vi.hoisted(() => ({
  loads: 0,
  isFeatureAvailable: vi.fn<() => boolean>(),
  restoreCache: vi.fn<(paths: string[], key: string, restoreKeys?: string[]) => Promise<string | undefined>>(),
  saveCache: vi.fn<(paths: string[], key: string) => Promise<number>>(),
}));
vi.mock('@actions/cache', () => {
  fake.loads++;
  return { isFeatureAvailable: fake.isFeatureAvailable, restoreCache: fake.restoreCache, saveCache: fake.saveCache };
});

const keys = cacheKeys({ toolchain: 'npm', os: 'Linux', arch: 'X64', runtime: 'node24.21.0', lockHash: 'abc' });

beforeEach(() => {
  fake.isFeatureAvailable.mockReset().mockReturnValue(true);
  fake.restoreCache.mockReset();
  fake.saveCache.mockReset();
});
afterEach(cleanupTemps);

// Runs first: the module registry is still free of @actions/cache.
describe('selectCacheStore', () => {
  test('without the service variables picks the local store and never imports @actions/cache', async () => {
    const dir = await tempDir('select');
    const { store, reason } = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env: {} });
    expect(store.kind).toBe('local');
    expect(store.location).toBe(dir);
    expect(reason).toBe(`local cache store ${dir} (no GitHub cache service: ACTIONS_CACHE_URL unset)`);

    const v2 = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env: { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_CACHE_URL: 'http://x' } });
    expect(v2.store.kind).toBe('local');
    expect(v2.reason).toContain('ACTIONS_CACHE_SERVICE_V2 set but ACTIONS_RESULTS_URL unset');
    expect(fake.loads).toBe(0);
  });

  test('with the service variables imports @actions/cache and asks isFeatureAvailable()', async () => {
    const dir = await tempDir('select');
    const picked = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env: { ACTIONS_CACHE_URL: 'http://127.0.0.1:1/' } });
    expect(fake.loads).toBe(1);
    expect(picked.store).toMatchObject({ kind: 'github', location: 'GitHub Actions cache service' });
    expect(picked.reason).toBe('GitHub Actions cache service (ACTIONS_CACHE_URL (cache service v1) set)');

    const v2 = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env: { ACTIONS_CACHE_SERVICE_V2: '1', ACTIONS_RESULTS_URL: 'http://r' } });
    expect(v2.reason).toContain('ACTIONS_RESULTS_URL (cache service v2)');

    fake.isFeatureAvailable.mockReturnValue(false);
    const refused = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env: { ACTIONS_CACHE_URL: 'http://x' } });
    expect(refused.store.kind).toBe('local');
    expect(refused.reason).toBe(`local cache store ${dir} (no GitHub cache service: @actions/cache isFeatureAvailable() returned false)`);
  });

  test('reads the variables the way @actions/cache 6 does, GHES included', () => {
    expect(missingCacheService({ ACTIONS_CACHE_URL: 'u' })).toBeUndefined();
    expect(missingCacheService({ ACTIONS_RESULTS_URL: 'u' })).toBe('ACTIONS_CACHE_URL unset');
    expect(missingCacheService({ ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: 'u' })).toBeUndefined();
    // GHES has no v2 service: the v2 flag is ignored there.
    const ghes = { GITHUB_SERVER_URL: 'https://git.example.com', ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: 'u' };
    expect(missingCacheService(ghes)).toBe('ACTIONS_CACHE_URL unset');
    expect(missingCacheService({ ...ghes, ACTIONS_CACHE_URL: 'c' })).toBeUndefined();
    expect(missingCacheService({ ...ghes, GITHUB_SERVER_URL: 'https://acme.ghe.com' })).toBeUndefined();
  });
});

describe('GitHub store', () => {
  test('reports exact and partial hits from restoreCache', async () => {
    const store = createGitHubStore(recordingLogger());
    fake.restoreCache.mockResolvedValueOnce(keys.key).mockResolvedValueOnce(`${keys.restoreKeys[0]}old`).mockResolvedValueOnce(undefined);
    expect(await restoreDependencies(store, ['node_modules'], keys)).toMatchObject({ hit: 'true', matchedKey: keys.key });
    expect(await restoreDependencies(store, ['node_modules'], keys)).toMatchObject({ hit: 'partial', matchedKey: `${keys.restoreKeys[0]}old` });
    expect(await restoreDependencies(store, ['node_modules'], keys)).toMatchObject({ hit: 'false' });
    expect(fake.restoreCache).toHaveBeenCalledWith(['node_modules'], keys.key, keys.restoreKeys);
  });

  test('a restore error is a warned miss', async () => {
    const logger = recordingLogger();
    fake.restoreCache.mockRejectedValue(new Error('service unavailable'));
    expect(await restoreDependencies(createGitHubStore(logger), ['node_modules'], keys)).toMatchObject({ hit: 'false' });
    expect(logger.warnings).toEqual([expect.stringContaining('service unavailable')]);
  });

  test('a refused or failed save is a warning and "failed", never an exception', async () => {
    const logger = recordingLogger();
    const store = createGitHubStore(logger);
    fake.saveCache.mockResolvedValueOnce(42).mockResolvedValueOnce(-1).mockRejectedValueOnce(new Error('Key Validation Error'));
    expect(await saveDependencies(store, ['node_modules'], keys, { hit: 'false' })).toMatchObject({
      saved: true,
      reason: `saved ${keys.key} to GitHub Actions cache service`,
    });
    expect(await store.save(['node_modules'], keys.key)).toBe('failed');
    expect(await saveDependencies(store, ['node_modules'], keys, { hit: 'partial' })).toMatchObject({ saved: false, reason: expect.stringContaining('failed') });
    expect(logger.warnings).toEqual([expect.stringContaining('another job may be saving'), expect.stringContaining('Key Validation Error')]);
  });

  test('an exact hit is not saved again', async () => {
    const result = await saveDependencies(createGitHubStore(recordingLogger()), ['node_modules'], keys, { hit: 'true' });
    expect(result).toEqual({ saved: false, reason: `exact cache hit on ${keys.key}: nothing to save`, durationMs: 0 });
    expect(fake.saveCache).not.toHaveBeenCalled();
  });
});
