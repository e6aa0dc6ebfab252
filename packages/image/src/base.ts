import { MEDIA_TYPES, verifyDigest, type BlobContent, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from '@gantry/oci';
import { BaseImageError } from './errors';
import { formatPlatform, normalizePlatform, samePlatform } from './platform';

/** One platform's image of the base: its manifest as listed, parsed, and its config. */
export interface BasePlatformImage {
  platform: Platform;
  /** The manifest's descriptor (from the base's index, or of the base itself). */
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
}

export interface ResolvedBase {
  /** The reference the user gave, e.g. `docker.io/library/alpine:3.20`, or `scratch`. */
  name: string;
  /** What the reference resolved to (index or manifest); absent for scratch. */
  digest?: string;
  /** In the order the platforms were asked for. */
  manifests: BasePlatformImage[];
}

/**
 * Where the base image comes from. Build code never talks to a registry:
 * implementations over the registry client or an OCI layout resolve the
 * reference to a digest and hand over manifests and configs (they can use
 * {@link resolveBaseManifests}); `readBlob` serves base layers to writers that
 * need them (an OCI layout destination).
 */
export interface BaseImageSource {
  readonly name: string;
  resolve(platforms: Platform[]): Promise<ResolvedBase>;
  readBlob?(descriptor: Descriptor): Promise<BlobContent>;
}

/** The empty base: no layers, no config to inherit. */
export const scratch: BaseImageSource = {
  name: 'scratch',
  resolve: async () => ({ name: 'scratch', manifests: [] }),
};

const INDEX_TYPES: string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const MANIFEST_TYPES: string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];

/**
 * Turns a base reference's top manifest (index or image manifest) into the
 * images for the requested platforms, fetching each manifest and config with
 * `fetch` and checking every one against its digest. Attestation entries in
 * an index (platform unknown/unknown) are never chosen. Throws
 * BaseImageError naming the platforms the base has when one is missing.
 */
export async function resolveBaseManifests(
  top: { name: string; digest: string; mediaType?: string; bytes: Buffer },
  fetch: (descriptor: Descriptor) => Promise<Buffer>,
  platforms: Platform[],
): Promise<ResolvedBase> {
  verifyDigest(top.bytes, top.digest, `base image ${top.name}`);
  const parsed = parseJson<ImageIndex & ImageManifest>(top.bytes, `base image ${top.name}`);
  const mediaType = parsed.mediaType ?? top.mediaType ?? (parsed.manifests ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  const load = async (descriptor: Descriptor, wanted: Platform | undefined): Promise<BasePlatformImage> => {
    const manifest = descriptor.digest === top.digest ? (parsed as ImageManifest) : await fetchJson<ImageManifest>(fetch, descriptor, top.name);
    if (!manifest.config || !Array.isArray(manifest.layers)) throw new BaseImageError(`base image ${top.name}: ${descriptor.digest} is not an image manifest`);
    const config = await fetchJson<ImageConfig>(fetch, manifest.config, top.name);
    // As the base declares it (arm64 may say v8): the new image describes itself the same way.
    const platform = descriptor.platform ?? { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
    if (wanted && !samePlatform(platform, wanted)) {
      throw new BaseImageError(`base image ${top.name} is ${formatPlatform(platform)} only; asked for ${formatPlatform(wanted)} (input "platforms")`);
    }
    return { platform, descriptor, manifest, config };
  };
  if (INDEX_TYPES.includes(mediaType)) {
    const candidates = (parsed.manifests ?? []).filter((d) => d.platform && d.platform.os !== 'unknown' && MANIFEST_TYPES.includes(d.mediaType));
    return {
      name: top.name,
      digest: top.digest,
      manifests: await Promise.all(
        platforms.map((wanted) => {
          const found = candidates.find((d) => samePlatform(d.platform!, wanted));
          if (!found) {
            const has = candidates.map((d) => formatPlatform(normalizePlatform(d.platform!))).join(', ') || 'none';
            throw new BaseImageError(`base image ${top.name} has no ${formatPlatform(wanted)} image (it has: ${has}); change the "platforms" input`);
          }
          return load(found, wanted);
        }),
      ),
    };
  }
  if (!MANIFEST_TYPES.includes(mediaType)) throw new BaseImageError(`base image ${top.name}: unsupported manifest media type ${mediaType}`);
  if (platforms.length > 1) {
    throw new BaseImageError(`base image ${top.name} is a single-platform image; it cannot serve ${platforms.map(formatPlatform).join(', ')} (input "platforms")`);
  }
  const self: Descriptor = { mediaType, digest: top.digest, size: top.bytes.length };
  return { name: top.name, digest: top.digest, manifests: [await load(self, platforms[0])] };
}

async function fetchJson<T>(fetch: (descriptor: Descriptor) => Promise<Buffer>, descriptor: Descriptor, name: string): Promise<T> {
  const bytes = await fetch(descriptor);
  verifyDigest(bytes, descriptor.digest, `base image ${name}: ${descriptor.digest}`);
  return parseJson<T>(bytes, `base image ${name}: ${descriptor.digest}`);
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new BaseImageError(`${what} is not JSON`);
  }
}
