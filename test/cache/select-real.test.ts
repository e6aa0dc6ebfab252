import { afterEach, expect, test, vi } from 'vitest';
import { selectCacheStore } from '../../packages/cache/src/index';
import { cleanupTemps, recordingLogger, tempDir } from './helpers';

afterEach(async () => {
  vi.unstubAllEnvs();
  await cleanupTemps();
});

// Against the real @actions/cache: its isFeatureAvailable() has the last word and reads process.env.
test('the real isFeatureAvailable() decides once the variables are present', async () => {
  const dir = await tempDir('select-real');
  vi.stubEnv('ACTIONS_CACHE_URL', '');
  vi.stubEnv('ACTIONS_CACHE_SERVICE_V2', '');
  const env = { ACTIONS_CACHE_URL: 'http://127.0.0.1:9/' };
  const refused = await selectCacheStore({ localDir: dir, logger: recordingLogger(), env });
  expect(refused.store.kind).toBe('local');
  expect(refused.reason).toContain('isFeatureAvailable() returned false');

  vi.stubEnv('ACTIONS_CACHE_URL', env.ACTIONS_CACHE_URL);
  const picked = await selectCacheStore({ localDir: dir, logger: recordingLogger() });
  expect(picked.store.kind).toBe('github');
});
