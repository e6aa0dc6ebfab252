import { chmod, lstat, mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { UnsafeCachePathError, cacheKeys, createLocalStore, restoreDependencies, saveDependencies } from '../../packages/cache/src/index';
import { pathsVersion } from '../../packages/cache/src/paths';
import { missingTool } from '../support/tools';
import { cleanupTemps, put, recordingLogger, snapshot, tempDir } from './helpers';

const noTar = missingTool('tar');
const keysFor = (lockHash: string, suffix?: string) =>
  cacheKeys({ toolchain: 'npm', os: 'Linux', arch: 'X64', runtime: 'node24.21.0', lockHash, suffix });

/** A workspace with node_modules, a store dir and an "absolute" npm cache outside the workspace. */
async function setup() {
  const root = await tempDir('local');
  const cwd = path.join(root, 'work');
  const absolute = path.join(root, 'home', '.npm');
  await mkdir(cwd, { recursive: true });
  const logger = recordingLogger();
  const store = createLocalStore(path.join(root, 'store'), logger, { cwd });
  return { root, cwd, absolute, logger, store, paths: ['node_modules', absolute] };
}

async function writeModules(cwd: string, absolute: string, version: string): Promise<void> {
  await put(path.join(cwd, 'node_modules/a/index.js'), `a ${version}`);
  await put(path.join(cwd, 'node_modules/a/deep/nested/file.txt'), `nested ${version}`);
  await put(path.join(cwd, 'node_modules/.bin/.keep'), '');
  await put(path.join(cwd, 'node_modules/a/cli.js'), '#!/usr/bin/env node');
  await chmod(path.join(cwd, 'node_modules/a/cli.js'), 0o755);
  await chmod(path.join(cwd, 'node_modules/a/index.js'), 0o600);
  await symlink('../a/cli.js', path.join(cwd, 'node_modules/.bin/a'));
  await utimes(path.join(cwd, 'node_modules/a/index.js'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  await put(path.join(absolute, '_cacache/index'), `npm cache ${version}`);
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await cleanupTemps();
});

describe.skipIf(noTar)(`local store${noTar ? ` (${noTar})` : ''}`, () => {
  test('saves and restores exactly: contents, modes, mtimes, symlinks, nested dirs, absolute paths', async () => {
    const { cwd, absolute, store, paths } = await setup();
    await writeModules(cwd, absolute, 'v1');
    const before = { modules: await snapshot(path.join(cwd, 'node_modules')), npm: await snapshot(absolute) };
    const keys = keysFor('lock1');

    expect(await restoreDependencies(store, paths, keys)).toMatchObject({ hit: 'false' });
    const saved = await saveDependencies(store, paths, keys, { hit: 'false' });
    expect(saved).toMatchObject({ saved: true, reason: `saved ${keys.key} to ${store.location}` });

    await rm(path.join(cwd, 'node_modules'), { recursive: true });
    await rm(absolute, { recursive: true });
    const restored = await restoreDependencies(store, paths, keys);
    expect(restored).toMatchObject({ hit: 'true', matchedKey: keys.key });
    expect(restored.durationMs).toBeGreaterThanOrEqual(0);
    expect({ modules: await snapshot(path.join(cwd, 'node_modules')), npm: await snapshot(absolute) }).toEqual(before);
    expect(before.modules['a/index.js']).toMatch(/^file 600 1577934245 a v1$/);
    expect(before.modules['.bin/a']).toBe('link -> ../a/cli.js');
    expect(before.modules['a/cli.js']).toMatch(/^file 755 /);

    expect(await saveDependencies(store, paths, keys, restored)).toMatchObject({ saved: false, reason: expect.stringContaining('exact cache hit') });
  });

  test('expands ~ to the home directory', async () => {
    const { root, cwd, store } = await setup();
    vi.stubEnv('HOME', path.join(root, 'home'));
    await put(path.join(root, 'home/.cache/tool/data'), 'tool data');
    expect(await store.save(['~/.cache/tool'], 'k')).toBe('saved');
    await rm(path.join(root, 'home/.cache'), { recursive: true });
    expect(await store.restore(['~/.cache/tool'], 'k', [])).toBe('k');
    expect(await readFile(path.join(root, 'home/.cache/tool/data'), 'utf8')).toBe('tool data');
    expect(await readdir(cwd)).toEqual([]);
  });

  test('a prefix restore picks the newest matching entry and reports partial', async () => {
    const { cwd, absolute, store, paths } = await setup();
    for (const version of ['old', 'new']) {
      await rm(path.join(cwd, 'node_modules'), { recursive: true, force: true });
      await rm(absolute, { recursive: true, force: true });
      await writeModules(cwd, absolute, version);
      expect(await store.save(paths, keysFor(`lock-${version}`).key)).toBe('saved');
    }
    // Same prefix, but other paths: never restored into these paths.
    await put(path.join(cwd, 'other/x'), 'other');
    expect(await store.save(['other'], keysFor('lock-other-paths').key)).toBe('saved');

    const keys = keysFor('lock-current');
    const result = await restoreDependencies(store, paths, keys);
    expect(result).toMatchObject({ hit: 'partial', matchedKey: keysFor('lock-new').key });
    expect(await readFile(path.join(cwd, 'node_modules/a/index.js'), 'utf8')).toBe('a new');

    const saved = await saveDependencies(store, paths, keys, result);
    expect(saved.saved).toBe(true);
    expect((await restoreDependencies(store, paths, keys)).hit).toBe('true');
  });

  test('misses on another runtime, another suffix or an empty store', async () => {
    const { cwd, absolute, store, paths } = await setup();
    expect(await restoreDependencies(store, paths, keysFor('x'))).toMatchObject({ hit: 'false' });
    await writeModules(cwd, absolute, 'v1');
    expect(await store.save(paths, keysFor('lock1', 'dev').key)).toBe('saved');
    expect((await restoreDependencies(store, paths, keysFor('lock2', 'prod'))).hit).toBe('false');
    expect((await restoreDependencies(store, paths, keysFor('lock2'))).hit).toBe('false');
    const otherNode = cacheKeys({ toolchain: 'npm', os: 'Linux', arch: 'X64', runtime: 'node22.0.0', lockHash: 'lock1', suffix: 'dev' });
    expect((await restoreDependencies(store, paths, otherNode)).hit).toBe('false');
    expect((await restoreDependencies(store, paths, keysFor('lock2', 'dev'))).hit).toBe('partial');
  });

  test('a restore replaces the target paths, so stale files do not survive', async () => {
    const { cwd, absolute, store, paths } = await setup();
    await writeModules(cwd, absolute, 'v1');
    expect(await store.save(paths, 'k1')).toBe('saved');
    await put(path.join(cwd, 'node_modules/stale/index.js'), 'stale');
    await put(path.join(absolute, 'stale'), 'stale');
    await writeFile(path.join(cwd, 'node_modules/a/index.js'), 'changed');
    expect(await store.restore(paths, 'k1', [])).toBe('k1');
    expect(await readdir(path.join(cwd, 'node_modules'))).toEqual(['.bin', 'a']);
    expect(await readdir(absolute)).toEqual(['_cacache']);
    expect(await readFile(path.join(cwd, 'node_modules/a/index.js'), 'utf8')).toBe('a v1');
  });

  test('never overwrites an existing key', async () => {
    const { cwd, absolute, store, paths, logger } = await setup();
    await writeModules(cwd, absolute, 'v1');
    expect(await store.save(paths, 'k')).toBe('saved');
    await writeFile(path.join(cwd, 'node_modules/a/index.js'), 'v2');
    expect(await store.save(paths, 'k')).toBe('exists');
    expect(await saveDependencies(store, paths, { key: 'k', restoreKeys: [] }, { hit: 'partial' })).toMatchObject({
      saved: false,
      reason: expect.stringContaining('already exists'),
    });
    await store.restore(paths, 'k', []);
    expect(await readFile(path.join(cwd, 'node_modules/a/index.js'), 'utf8')).toBe('a v1');
    expect(logger.warnings).toEqual([]);
  });

  test('two concurrent saves of one key: one saved, one exists, the entry intact', async () => {
    const { root, cwd, absolute, paths } = await setup();
    await writeModules(cwd, absolute, 'v1');
    for (let i = 0; i < 200; i++) await put(path.join(cwd, `node_modules/bulk/${i}.js`), `bulk ${i}`.repeat(200));
    const storeDir = path.join(root, 'store');
    const loggers = [recordingLogger(), recordingLogger()];
    const stores = loggers.map((logger) => createLocalStore(storeDir, logger, { cwd }));
    const outcomes = await Promise.all(stores.map((store) => store.save(paths, 'race')));
    expect([...outcomes].sort()).toEqual(['exists', 'saved']);
    // Both got past the existence check: the loser lost at the atomic rename.
    expect(loggers[outcomes.indexOf('exists')].infos).toEqual([expect.stringContaining('saved by someone else meanwhile')]);
    expect((await readdir(storeDir)).filter((name) => name.startsWith('.'))).toEqual([]);

    const before = await snapshot(path.join(cwd, 'node_modules'));
    await rm(path.join(cwd, 'node_modules'), { recursive: true });
    expect(await stores[0].restore(paths, 'race', [])).toBe('race');
    expect(await snapshot(path.join(cwd, 'node_modules'))).toEqual(before);
  });

  test('a corrupt archive is a warned miss and leaves no half-restored tree', async () => {
    const { root, cwd, absolute, store, paths, logger } = await setup();
    await writeModules(cwd, absolute, 'v1');
    await put(path.join(cwd, 'node_modules/big/data'), 'x'.repeat(200_000));
    expect(await store.save(paths, 'k')).toBe('saved');
    const [entry] = await readdir(path.join(root, 'store'));
    const archive = path.join(root, 'store', entry, 'archive.tar');
    await writeFile(archive, (await readFile(archive)).subarray(0, 100_000));
    expect(await store.restore(paths, 'k', [])).toBeUndefined();
    expect(logger.warnings.join('\n')).toMatch(/Cache not restored/);
    await expect(lstat(path.join(cwd, 'node_modules'))).rejects.toThrow(/ENOENT/);
  });

  test('saving nothing that exists fails with a warning', async () => {
    const { store, paths, logger } = await setup();
    expect(await store.save(paths, 'k')).toBe('failed');
    expect(logger.warnings).toEqual([expect.stringContaining('none of the paths exists')]);
  });

  test('refuses paths whose removal would take the workspace or home with it', async () => {
    const { root, store } = await setup();
    vi.stubEnv('HOME', path.join(root, 'home'));
    for (const bad of ['.', '', '..', '~', '/', 'node_modules/*']) {
      await expect(store.restore([bad], 'k', []), bad).rejects.toThrow(UnsafeCachePathError);
    }
  });

  test('evicts least recently used entries beyond the size cap', async () => {
    const { root, cwd } = await setup();
    const logger = recordingLogger();
    const store = createLocalStore(path.join(root, 'store'), logger, { cwd, maxBytes: 25_000 });
    for (const name of ['one', 'two', 'three']) {
      await put(path.join(cwd, 'data/blob'), name.repeat(200));
      expect(await store.save(['data'], name)).toBe('saved');
      if (name === 'two') expect(await store.restore(['data'], 'one', [])).toBe('one'); // "one" is now used more recently than "two"
    }
    expect(logger.infos.join('\n')).toMatch(/Evicted cache entry two/);
    expect(await store.restore(['data'], 'two', [])).toBeUndefined();
    expect(await store.restore(['data'], 'one', [])).toBe('one');
    expect(await store.restore(['data'], 'three', [])).toBe('three');
  });

  test('ignores and later clears what a crashed save left behind', async () => {
    const { root, cwd, store } = await setup();
    const storeDir = path.join(root, 'store');
    const torn = path.join(storeDir, '.tmp-crashed');
    await put(path.join(torn, 'meta.json'), JSON.stringify({ format: 1, key: 'k', version: pathsVersion(['data']), paths: ['data'], created: new Date().toISOString(), size: 1 }));
    expect(await store.restore(['data'], 'k', [''])).toBeUndefined();

    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(torn, twoHoursAgo, twoHoursAgo);
    await put(path.join(storeDir, '.tmp-in-progress/archive.tar'), '');
    await put(path.join(cwd, 'data/x'), 'x');
    expect(await store.save(['data'], 'k')).toBe('saved');
    expect((await readdir(storeDir)).filter((name) => name.startsWith('.'))).toEqual(['.tmp-in-progress']);
  });
});
