import { posix } from 'node:path';
import { InputError } from '@gantry/action-kit';
import { MEDIA_TYPES, type BlobContent, type Descriptor, type ImageConfig, type ImageManifest, type Platform } from '@gantry/oci';
import type { BaseImageSource } from './base';
import { sourceDateIso } from './canonical';
import { buildConfig, normalizePort, type ImageSettings } from './config';
import { scanContext } from './context';
import { BaseImageError } from './errors';
import { writeLayer, type LayerBlob, type LayerReuse } from './layer';
import type { Owner } from './tar';
import { imageAnnotations, imageIndex, imageManifest, ociLayerDescriptor, serialize, standardLabels, type SourceInfo } from './manifest';
import { formatPlatform } from './platform';
import { layerGroups, splitEntries, type LayerSplit } from './split';

export interface BuildOptions extends ImageSettings {
  /** Directory whose content is packaged. */
  context: string;
  /** Absolute directory in the image the context is copied to (default: `workdir`, else `/app`). */
  destination?: string;
  /** Default: linux/amd64. One platform gives a manifest; several give an index. */
  platforms?: Platform[];
  /** Seconds since the epoch: every timestamp in the image. */
  sourceDateEpoch: number;
  /** `.dockerignore`-syntax patterns applied after the context's `.dockerignore`. */
  exclude?: string[];
  split?: LayerSplit;
  /** Patterns of the dependency layer when `split` is `dependencies`. */
  dependencyPatterns?: string[];
  /** Owner of the copied files (like COPY --chown with numeric ids). */
  owner?: Owner;
  compressionLevel?: number;
  /** Compressed layers of earlier builds by diff_id (e.g. {@link directoryLayerCache}): unchanged layers skip compression. */
  layerCache?: LayerReuse;
  /** Added to the manifest(s) and index. */
  annotations?: Record<string, string>;
  source?: SourceInfo;
  /** Directory new layer blobs are written to. */
  blobDir: string;
}

export interface BlobEntry {
  descriptor: Descriptor;
  /** Absent for base layers, which stay where the base lives (see BuiltImage.readBaseBlob). */
  content?: BlobContent;
  origin: 'base' | 'new';
}

export interface PlatformImage {
  platform: Platform;
  descriptor: Descriptor;
  manifest: ImageManifest;
  bytes: Buffer;
  config: ImageConfig;
}

export interface BuiltLayer {
  digest: string;
  size: number;
  origin: 'base' | 'new';
  /** For new layers: the group (e.g. `dependencies`, `app`), diff_id, entry count, and whether the layer cache had it. */
  name?: string;
  diffId?: string;
  entryCount?: number;
  reused?: boolean;
}

export interface BuiltImage {
  /** Digest of the top manifest (one platform) or index (several): what is deployed. */
  digest: string;
  mediaType: string;
  bytes: Buffer;
  descriptor: Descriptor;
  manifests: PlatformImage[];
  /** Configs, new layers and base layers, by digest (manifests are in `manifests`). */
  blobs: Map<string, BlobEntry>;
  baseName: string;
  baseDigest?: string;
  platforms: Platform[];
  /** Distinct layers in manifest order, the base's first. */
  layers: BuiltLayer[];
  /** Context paths that are not files, directories or symlinks and so were left out. */
  skipped: string[];
  /** Context paths packaged (relative, sorted): what the SBOM's lockfile filter checks. */
  packaged: string[];
  created: string;
  readBaseBlob?: (descriptor: Descriptor) => Promise<BlobContent>;
}

/**
 * Builds an image with no daemon and no registry: the context becomes
 * deterministic layers under `destination`, stacked on the base's layers for
 * each platform, with config, manifest(s) and, for several platforms, an
 * index. Same inputs → same bytes → same digests, on any machine.
 */
export async function buildImage(options: BuildOptions, base: BaseImageSource): Promise<BuiltImage> {
  const { destination, platforms } = validate(options);
  const created = sourceDateIso(options.sourceDateEpoch);
  const scan = await scanContext(options.context, options.exclude);
  const resolved = await base.resolve(platforms);
  if (resolved.digest && resolved.manifests.length !== platforms.length) {
    throw new BaseImageError(`base image ${resolved.name} resolved ${resolved.manifests.length} images for ${platforms.length} platforms`);
  }
  const groups = splitEntries(scan.entries, layerGroups(options.split, options.dependencyPatterns));
  const written: Array<{ name: string; blob: LayerBlob }> = [];
  for (const group of groups) {
    const blob = await writeLayer(group.entries, {
      destination,
      sourceDateEpoch: options.sourceDateEpoch,
      owner: options.owner,
      compressionLevel: options.compressionLevel,
      outputDir: options.blobDir,
      reuse: options.layerCache,
    });
    written.push({ name: group.name, blob });
  }
  const blobs = new Map<string, BlobEntry>();
  const newDescriptors = written.map(({ blob }) => ({ mediaType: blob.mediaType, digest: blob.digest, size: blob.size }));
  written.forEach(({ blob }, i) => blobs.set(blob.digest, { descriptor: newDescriptors[i]!, content: blob.content, origin: 'new' }));
  const baseRef = { name: resolved.name, digest: resolved.digest };
  const annotations = imageAnnotations(created, options.source, baseRef, options.annotations);
  const labels = standardLabels(created, options.source);
  const configLayers = written.map(({ name, blob }) => ({ diffId: blob.diffId, createdBy: `gantry: COPY . ${destination} # ${name} layer` }));

  const manifests: PlatformImage[] = platforms.map((platform, i) => {
    const from = resolved.manifests[i];
    for (const layer of from?.manifest.layers ?? []) blobs.set(layer.digest, { descriptor: ociLayerDescriptor(layer), origin: 'base' });
    const settings = { ...options, workdir: options.workdir ?? destination };
    const config = serialize(buildConfig(from?.config, from?.platform ?? platform, settings, configLayers, created, labels), MEDIA_TYPES.ociConfig);
    blobs.set(config.descriptor.digest, { descriptor: config.descriptor, content: config.bytes, origin: 'new' });
    const perPlatform = from ? { ...annotations, 'org.opencontainers.image.base.digest': from.descriptor.digest } : annotations;
    const manifest = imageManifest(config, from?.manifest.layers ?? [], newDescriptors, perPlatform, from?.platform ?? platform);
    return { platform: from?.platform ?? platform, descriptor: manifest.descriptor, manifest: manifest.value, bytes: manifest.bytes, config: config.value };
  });

  const top = manifests.length === 1 ? { bytes: manifests[0]!.bytes, descriptor: manifests[0]!.descriptor } : imageIndex(manifests.map((m) => m.descriptor), annotations);
  const layers: BuiltLayer[] = [];
  for (const [digest, entry] of blobs) {
    if (entry.descriptor.mediaType === MEDIA_TYPES.ociConfig && entry.origin === 'new') continue;
    const mine = written.find(({ blob }) => blob.digest === digest);
    layers.push({
      digest,
      size: entry.descriptor.size,
      origin: entry.origin,
      ...(mine ? { name: mine.name, diffId: mine.blob.diffId, entryCount: mine.blob.entryCount, reused: mine.blob.reused } : {}),
    });
  }
  layers.sort((a, b) => (a.origin === b.origin ? 0 : a.origin === 'base' ? -1 : 1));
  return {
    digest: top.descriptor.digest,
    mediaType: top.descriptor.mediaType,
    bytes: top.bytes,
    descriptor: top.descriptor,
    manifests,
    blobs,
    baseName: resolved.name,
    baseDigest: resolved.digest,
    platforms: manifests.map((m) => m.platform),
    layers,
    skipped: scan.skipped,
    packaged: scan.entries.map((entry) => entry.path),
    created,
    readBaseBlob: base.readBlob?.bind(base),
  };
}

/** Every option checked before anything is written; InputError names the input. */
function validate(options: BuildOptions): { destination: string; platforms: Platform[] } {
  const epoch = options.sourceDateEpoch;
  if (!Number.isInteger(epoch) || epoch < 0) throw new InputError('source-date-epoch', String(epoch), 'a whole number of seconds since 1970-01-01 (0 or more)');
  const raw = options.destination ?? options.workdir ?? '/app';
  const inputName = options.destination ? 'destination' : 'workdir';
  if (!raw.startsWith('/')) throw new InputError(inputName, raw, 'an absolute directory in the image, like /app');
  if (options.workdir && !options.workdir.startsWith('/')) throw new InputError('workdir', options.workdir, 'an absolute directory in the image, like /app');
  for (const port of options.ports ?? []) normalizePort(port);
  const platforms = options.platforms ?? [{ os: 'linux', architecture: 'amd64' }];
  if (platforms.length === 0) throw new InputError('platforms', '', 'at least one platform, like linux/amd64');
  const seen = new Set(platforms.map(formatPlatform));
  if (seen.size !== platforms.length) throw new InputError('platforms', platforms.map(formatPlatform).join(','), 'each platform once');
  return { destination: posix.normalize(raw).replace(/\/+$/, '') || '/', platforms };
}
