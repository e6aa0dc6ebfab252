import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, ReproducibilityError, scratch, verifyReproducible, type BuildOptions } from '@gantry/image';
import { memoryBase, TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

describe('verifyReproducible', () => {
  it('rebuilds from a copy elsewhere and returns the same digest', async () => {
    const context = await temp.make();
    await writeTree(context, { 'a.js': 'a', 'bin/run': { content: '#!/bin/sh\n', mode: 0o755 }, link: { link: 'a.js' } });
    const base = await memoryBase('base', [{ os: 'linux', architecture: 'amd64' }]);
    const options: BuildOptions = { context, sourceDateEpoch: 1_700_000_000, blobDir: await temp.make(), split: 'dependencies' };
    const first = await buildImage(options, base.source);
    expect(await verifyReproducible(options, base.source, first)).toBe(first.digest);
  });

  it('names the layer that differs when the second build does not match', async () => {
    const context = await temp.make();
    await writeTree(context, { 'a.js': 'a', 'node_modules/x/index.js': 'x' });
    const options: BuildOptions = { context, sourceDateEpoch: 0, blobDir: await temp.make(), split: 'dependencies' };
    const first = await buildImage(options, scratch);
    // Something in the build writes into the context (a generated file): the second build sees it.
    await writeTree(context, { 'a.js': 'generated at build time' });
    const error = await verifyReproducible(options, scratch, first).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReproducibilityError);
    // The dependency layer matched; the app layer and so the config did not.
    const [app, config, ...rest] = (error as ReproducibilityError).differences;
    expect(app).toMatch(new RegExp(`^layer app tar ${first.layers[1]!.diffId} vs sha256:[0-9a-f]{64}$`));
    expect(config).toMatch(new RegExp(`^linux/amd64 config ${first.manifests[0]!.manifest.config.digest} vs sha256:[0-9a-f]{64}$`));
    expect(rest).toEqual([]);
  });
});
