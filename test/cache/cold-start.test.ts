import { execFile } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { cleanupTemps, tempDir } from './helpers';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

afterEach(cleanupTemps);

/** The environment of a local run: none of the cache service variables. */
function localEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2']) if (!(name in extra)) delete env[name];
  return env;
}

// The bundle keeps @actions/cache in a lazily loaded chunk; without the chunk a local run must still work.
test('a bundled action does not load @actions/cache when there is no cache service', async () => {
  const out = await tempDir('bundle');
  await run(path.join(root, 'node_modules/.bin/ncc'), ['build', 'test/cache/fixtures/cold-start-entry.ts', '-o', out, '-q', '-t'], { cwd: root });
  const chunks = (await readdir(out)).filter((name) => name !== 'index.js' && name !== 'package.json');
  expect(chunks.length).toBeGreaterThan(0);
  const startupBytes = (await stat(path.join(out, 'index.js'))).size;
  expect(startupBytes).toBeLessThan(200_000); // @actions/cache alone bundles to ~3.5 MB
  for (const chunk of chunks) await rm(path.join(out, chunk));

  const store = path.join(out, 'store');
  const local = await run(process.execPath, [path.join(out, 'index.js'), store], { env: localEnv() });
  expect(local.stdout.trim()).toBe(`local cache store ${store} (no GitHub cache service: ACTIONS_CACHE_URL unset)`);

  // With the service variables the same bundle reaches for the removed chunk: that chunk is @actions/cache.
  const github = await run(process.execPath, [path.join(out, 'index.js'), store], { env: localEnv({ ACTIONS_CACHE_URL: 'http://127.0.0.1:9/' }) });
  expect(github.stdout).toContain('(no GitHub cache service: @actions/cache could not be loaded: Cannot find module');
  expect(github.stdout).toContain(chunks[0]);
});
