// What to cache for npm, measured directly: node_modules (restore, then no install) against
// npm's package store (restore it, then npm ci --prefer-offline). Archives are plain tar
// files made and unpacked with the system tar, as the local store does.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from './env.mjs';
import { resetFixture, run } from './fixture.mjs';
import { stats, timeSpawn } from './measure.mjs';

function tarCreate(archive, cwd, member) {
  run('tar', ['--create', '--file', archive, '--directory', cwd, member], { cwd });
}

function tarExtractMs(archive, cwd) {
  return timeSpawn('tar', ['--extract', '--file', archive, '--directory', cwd, '--preserve-permissions'], { cwd }).ms;
}

/** Proves the restored node_modules works: the fixture's tests pass with it, and no install ran. */
function checkModules(fixture, env) {
  run('npm', ['run', 'test'], { cwd: fixture, env });
}

/**
 * Measures, `reps` times each: no cache (npm ci from the registry with an empty npm cache),
 * node_modules restored, ~/.npm restored + npm ci --prefer-offline, and both restored (what
 * the GitHub store saves today). Returns rows of { strategy, bytes, restore, install, total }.
 */
export function measureCacheChoice(fixture, reps) {
  const work = tempDir('cache-choice');
  const npmCache = join(work, 'npm-cache');
  const env = cleanEnv({ npm_config_cache: npmCache });
  const samples = { none: [], modules: [], npmCache: [], both: [] };
  const push = (name, restore, install) => samples[name].push({ restore, install, total: restore + install });

  // No cache, which also fills a fresh npm cache: keep the last one for the archives.
  for (let i = 0; i < reps; i++) {
    resetFixture(fixture);
    rmSync(npmCache, { recursive: true, force: true });
    push('none', 0, timeSpawn('npm', ['ci'], { cwd: fixture, env }).ms);
  }
  const modulesTar = join(work, 'node_modules.tar');
  const npmCacheTar = join(work, 'npm-cache.tar');
  tarCreate(modulesTar, fixture, 'node_modules');
  tarCreate(npmCacheTar, work, 'npm-cache');

  for (let i = 0; i < reps; i++) {
    // node_modules: the restore is the whole install.
    resetFixture(fixture);
    push('modules', tarExtractMs(modulesTar, fixture), 0);
    checkModules(fixture, env);

    // ~/.npm: restore the package store, then install from it without asking the registry.
    resetFixture(fixture);
    rmSync(npmCache, { recursive: true, force: true });
    const restore = tarExtractMs(npmCacheTar, work);
    push('npmCache', restore, timeSpawn('npm', ['ci', '--prefer-offline'], { cwd: fixture, env }).ms);

    // Both, as the GitHub store saves them: two restores, install skipped on an exact hit.
    resetFixture(fixture);
    rmSync(npmCache, { recursive: true, force: true });
    push('both', tarExtractMs(modulesTar, fixture) + tarExtractMs(npmCacheTar, work), 0);
    checkModules(fixture, env);
  }
  resetFixture(fixture);
  const modulesBytes = statSync(modulesTar).size;
  const npmCacheBytes = statSync(npmCacheTar).size;
  rmSync(work, { recursive: true, force: true });

  const summarise = (name, strategy, bytes) => ({
    strategy,
    bytes,
    restore: stats(samples[name].map((s) => s.restore)),
    install: stats(samples[name].map((s) => s.install)),
    total: stats(samples[name].map((s) => s.total)),
  });
  return [
    summarise('none', 'no cache: `npm ci`, empty npm cache (registry)', 0),
    summarise('modules', '`node_modules`, exact key (lockfile + Node): restore, skip install', modulesBytes),
    summarise('npmCache', '`~/.npm`: restore, then `npm ci --prefer-offline`', npmCacheBytes),
    summarise('both', 'both (what the GitHub store saves for npm): restore both, skip install', modulesBytes + npmCacheBytes),
  ];
}
