import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseImageSource } from './base';
import { buildImage, type BuildOptions, type BuiltImage } from './build';

/** Two builds of the same inputs gave different bytes; `differences` says where. */
export class ReproducibilityError extends Error {
  override name = 'ReproducibilityError';
  constructor(readonly differences: string[]) {
    super(`the image is not reproducible: a second build in another directory differs (${differences.join('; ')})`);
  }
}

/**
 * Builds `options` again from a copy of the context in a fresh temporary
 * directory (fresh mtimes, another path), without any layer cache, and
 * throws ReproducibilityError naming every layer, config or manifest that
 * differs from `first`. Returns the second build's digest.
 */
export async function verifyReproducible(options: BuildOptions, base: BaseImageSource, first: BuiltImage): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gantry-verify-'));
  try {
    const context = join(root, 'context');
    // Not preserving timestamps is the point: they must not matter.
    await cp(options.context, context, { recursive: true, verbatimSymlinks: true, preserveTimestamps: false });
    const second = await buildImage({ ...options, context, blobDir: join(root, 'blobs'), layerCache: undefined }, base);
    const differences = compare(first, second);
    if (differences.length > 0) throw new ReproducibilityError(differences);
    return second.digest;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function compare(a: BuiltImage, b: BuiltImage): string[] {
  const differences: string[] = [];
  const newA = a.layers.filter((l) => l.origin === 'new');
  const newB = b.layers.filter((l) => l.origin === 'new');
  newA.forEach((layer, i) => {
    const other = newB[i];
    if (!other) differences.push(`layer ${layer.name} is missing from the second build`);
    else if (other.diffId !== layer.diffId) differences.push(`layer ${layer.name} tar ${layer.diffId} vs ${other.diffId}`);
    else if (other.digest !== layer.digest) differences.push(`layer ${layer.name} gzip ${layer.digest} vs ${other.digest} (same tar)`);
  });
  if (newB.length > newA.length) differences.push(`the second build has ${newB.length - newA.length} more layers`);
  a.manifests.forEach((m, i) => {
    const other = b.manifests[i];
    const label = `${m.platform.os}/${m.platform.architecture}`;
    if (other?.manifest.config.digest !== m.manifest.config.digest) differences.push(`${label} config ${m.manifest.config.digest} vs ${other?.manifest.config.digest}`);
    else if (other.descriptor.digest !== m.descriptor.digest) differences.push(`${label} manifest ${m.descriptor.digest} vs ${other.descriptor.digest}`);
  });
  if (differences.length === 0 && a.digest !== b.digest) differences.push(`top ${a.digest} vs ${b.digest}`);
  return differences;
}
