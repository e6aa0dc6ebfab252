import type { BlobEntry, BuiltImage, BuiltLayer, PlatformImage } from '@gantry/image';
import { MEDIA_TYPES, OciLayout, OciLayoutError, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest } from '@gantry/oci';
import { LayoutImageError } from './errors';

const INDEX_TYPES: string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const MANIFEST_TYPES: string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];
const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/**
 * Reads an image from an OCI layout as a BuiltImage, so a Dockerfile build
 * is pushed, tagged and reported like any image Gantry assembles. Manifests
 * and configs are verified against their digests, layers checked present
 * (the registry verifies them on push). All blobs are
 * `origin: 'new'` with `{ path }` content in the layout: builders recompress
 * the base's layers (buildah does), so layer digests cannot be matched to
 * the base's, and a registry that has a layer is never sent it again anyway.
 * The base's name and digest come from the standard annotations when the
 * builder wrote them.
 */
export async function loadImageFromLayout(layoutDir: string, refName: string): Promise<BuiltImage> {
  const layout = await OciLayout.open(layoutDir);
  const top = await layout.resolve(refName);
  if (!top) throw new LayoutImageError(`${layoutDir} lists no image named ${JSON.stringify(refName)}`);
  const bytes = await read(layout, top.digest);
  const parsed = parseJson<ImageIndex & ImageManifest>(bytes, top.digest);
  const mediaType = parsed.mediaType ?? top.mediaType;
  const descriptor: Descriptor = { mediaType, digest: top.digest, size: bytes.length };
  const blobs = new Map<string, BlobEntry>();

  const loadManifest = async (entry: Descriptor, manifestBytes: Buffer): Promise<PlatformImage> => {
    const manifest = parseJson<ImageManifest>(manifestBytes, entry.digest);
    if (!manifest.config || !Array.isArray(manifest.layers)) throw new LayoutImageError(`${layoutDir}: ${entry.digest} is not an image manifest`);
    const config = parseJson<ImageConfig>(await read(layout, manifest.config.digest), manifest.config.digest);
    for (const blob of [manifest.config, ...manifest.layers]) {
      await readable(layout, blob.digest);
      blobs.set(blob.digest, { descriptor: blob, content: { path: layout.blobPath(blob.digest) }, origin: 'new' });
    }
    const platform = entry.platform ?? { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
    return { platform, descriptor: { mediaType: manifest.mediaType ?? entry.mediaType, digest: entry.digest, size: manifestBytes.length, platform }, manifest, bytes: manifestBytes, config };
  };

  let manifests: PlatformImage[];
  if (INDEX_TYPES.includes(mediaType)) {
    // Attestation manifests (platform unknown/unknown) are not images to run.
    const images = parsed.manifests.filter((d) => MANIFEST_TYPES.includes(d.mediaType) && d.platform?.os !== 'unknown');
    manifests = [];
    for (const entry of images) manifests.push(await loadManifest(entry, await read(layout, entry.digest)));
    if (manifests.length === 0) throw new LayoutImageError(`${layoutDir}: the index ${top.digest} lists no image manifests`);
  } else if (MANIFEST_TYPES.includes(mediaType)) {
    manifests = [await loadManifest(descriptor, bytes)];
  } else {
    throw new LayoutImageError(`${layoutDir}: ${refName} has unsupported media type ${mediaType}`);
  }

  const first = manifests[0]!;
  const layers: BuiltLayer[] = [];
  const seen = new Set<string>();
  for (const image of manifests) {
    image.manifest.layers.forEach((layer, i) => {
      if (seen.has(layer.digest)) return;
      seen.add(layer.digest);
      layers.push({ digest: layer.digest, size: layer.size, origin: 'new', diffId: image.config.rootfs.diff_ids[i] });
    });
  }
  const annotations = { ...first.manifest.annotations, ...parsed.annotations };
  return {
    digest: top.digest,
    mediaType,
    bytes,
    descriptor: manifests.length === 1 && descriptor.digest === first.descriptor.digest ? first.descriptor : descriptor,
    manifests,
    blobs,
    baseName: annotations[BASE_NAME] ?? 'unknown (Dockerfile build)',
    baseDigest: annotations[BASE_DIGEST],
    platforms: manifests.map((m) => m.platform),
    layers,
    skipped: [],
    packaged: [],
    created: first.config.created ?? '',
  };
}

async function read(layout: OciLayout, digest: string): Promise<Buffer> {
  try {
    return await layout.readBlob(digest);
  } catch (error) {
    if (error instanceof OciLayoutError) throw new LayoutImageError(error.message);
    throw error;
  }
}

/** Layers are large: checked by size-free existence here; the push verifies them against their digests. */
async function readable(layout: OciLayout, digest: string): Promise<void> {
  if (!(await layout.hasBlob(digest))) throw new LayoutImageError(`${layout.dir} has no blob ${digest}`);
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new LayoutImageError(`${what} is not JSON`);
  }
}
