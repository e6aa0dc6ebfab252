import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, compressionId, directoryLayerCache, FFLATE_VERSION, scratch, type BuildOptions } from '@gantry/image';
import { readLayer, TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const APP = {
  'package.json': '{"name":"app","version":"1.0.0"}',
  'package-lock.json': '{"lockfileVersion":3,"packages":{}}',
  'node_modules/left-pad/index.js': 'module.exports = () => {};\n',
  'node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0"}',
  'src/index.js': 'console.log(1);\n',
  'src/routes.js': 'export default [];\n',
};

async function build(context: string, extra: Partial<BuildOptions> = {}) {
  return buildImage({ context, sourceDateEpoch: 1_600_000_000, blobDir: await temp.make(), split: 'dependencies', ...extra }, scratch);
}

describe('layer split', () => {
  it('puts dependencies first and the app after, each with its parent directories', async () => {
    const context = await temp.make();
    await writeTree(context, APP);
    const image = await build(context);
    expect(image.layers.map((l) => l.name)).toEqual(['dependencies', 'app']);
    const names = await Promise.all(
      image.layers.map(async (l) => (await readLayer(await readFile((image.blobs.get(l.digest)!.content as { path: string }).path))).map((e) => e.name)),
    );
    expect(names[0]).toEqual(['app/', 'app/node_modules/', 'app/node_modules/left-pad/', 'app/node_modules/left-pad/index.js', 'app/node_modules/left-pad/package.json', 'app/package-lock.json']);
    expect(names[1]).toEqual(['app/', 'app/package.json', 'app/src/', 'app/src/index.js', 'app/src/routes.js']);
    expect(image.manifests[0]!.config.history!.map((h) => h.created_by)).toEqual([
      'gantry: COPY . /app # dependencies layer',
      'gantry: COPY . /app # app layer',
    ]);
  });

  it('changes only the app layer when one app file changes, and only the dependency layer for a dependency', async () => {
    const context = await temp.make();
    await writeTree(context, APP);
    const before = await build(context);
    await writeFile(join(context, 'src/routes.js'), 'export default ["/health"];\n');
    const appChanged = await build(context);
    expect(appChanged.layers[0]!.digest).toBe(before.layers[0]!.digest);
    expect(appChanged.layers[1]!.digest).not.toBe(before.layers[1]!.digest);
    await writeFile(join(context, 'node_modules/left-pad/index.js'), 'module.exports = (s) => s;\n');
    const depChanged = await build(context);
    expect(depChanged.layers[0]!.digest).not.toBe(appChanged.layers[0]!.digest);
    expect(depChanged.layers[1]!.digest).toBe(appChanged.layers[1]!.digest);
  });

  it('builds one layer by default, skips an empty dependency group, and takes explicit groups', async () => {
    const context = await temp.make();
    await writeTree(context, { 'src/index.js': '', 'assets/logo.svg': '<svg/>' });
    expect((await build(context, { split: 'single' })).layers.map((l) => l.name)).toEqual(['app']);
    expect((await build(context)).layers.map((l) => l.name)).toEqual(['app']);
    const custom = await build(context, { split: [{ name: 'assets', patterns: ['assets'] }, { name: 'code' }] });
    expect(custom.layers.map((l) => [l.name, l.entryCount])).toEqual([
      ['assets', 3],
      ['code', 3],
    ]);
  });
});

describe('layer cache', () => {
  it('reuses the compressed dependency layer on a rebuild, with the digests a fresh build gives', async () => {
    const context = await temp.make();
    await writeTree(context, APP);
    const layerCache = directoryLayerCache(await temp.make());
    const first = await build(context, { layerCache });
    expect(first.layers.map((l) => l.reused)).toEqual([false, false]);
    await writeFile(join(context, 'src/routes.js'), 'export default ["/ready"];\n');
    const second = await build(context, { layerCache });
    expect(second.layers.map((l) => [l.name, l.reused])).toEqual([
      ['dependencies', true],
      ['app', false],
    ]);
    const fresh = await build(context);
    expect(second.digest).toBe(fresh.digest);
    expect(second.layers.map((l) => l.digest)).toEqual(fresh.layers.map((l) => l.digest));
  });

  it('compresses again when a cached blob is damaged', async () => {
    const context = await temp.make();
    await writeTree(context, APP);
    const cacheDir = await temp.make();
    const first = await build(context, { layerCache: directoryLayerCache(cacheDir) });
    await writeFile(join(cacheDir, 'blobs/sha256', first.layers[0]!.digest.slice(7)), 'garbage');
    const second = await build(context, { layerCache: directoryLayerCache(cacheDir) });
    expect(second.layers.map((l) => l.reused)).toEqual([false, true]);
    expect(second.digest).toBe(first.digest);
  });

  it('names the fflate release the lockfile installs', async () => {
    const installed = JSON.parse(await readFile(join(import.meta.dirname, '../../node_modules/fflate/package.json'), 'utf8')) as { version: string };
    expect(FFLATE_VERSION).toBe(installed.version);
    expect(compressionId(6)).toBe(`gzip/fflate-${installed.version}/level-6/block-1048576`);
  });
});
