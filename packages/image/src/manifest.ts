import { MEDIA_TYPES, sha256Digest, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from '@gantry/oci';
import { canonicalJson } from './canonical';

/** Where the image's source lives, for the standard OCI annotations and labels. */
export interface SourceInfo {
  /** e.g. `https://github.com/owner/repo`. */
  url?: string;
  /** The commit. */
  revision?: string;
  version?: string;
}

/** `org.opencontainers.image.*` keys for the source, revision, version and creation date. */
export function standardLabels(created: string, source: SourceInfo = {}): Record<string, string> {
  const labels: Record<string, string> = { 'org.opencontainers.image.created': created };
  if (source.url) labels['org.opencontainers.image.source'] = source.url;
  if (source.revision) labels['org.opencontainers.image.revision'] = source.revision;
  if (source.version) labels['org.opencontainers.image.version'] = source.version;
  return labels;
}

/** Annotations of a manifest or index: the standard labels, the base, then the user's. */
export function imageAnnotations(
  created: string,
  source: SourceInfo | undefined,
  base: { name: string; digest?: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  const annotations = standardLabels(created, source);
  if (base.digest) {
    annotations['org.opencontainers.image.base.name'] = base.name;
    annotations['org.opencontainers.image.base.digest'] = base.digest;
  }
  return { ...annotations, ...extra };
}

export interface Serialized<T> {
  value: T;
  bytes: Buffer;
  descriptor: Descriptor;
}

/** Canonical bytes and descriptor of a JSON document. */
export function serialize<T>(value: T, mediaType: string, extra: Partial<Descriptor> = {}): Serialized<T> {
  const bytes = canonicalJson(value);
  return { value, bytes, descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.length, ...extra } };
}

/** Docker layer media types and their OCI names: the same bytes, so the same digest. */
const OCI_LAYER_TYPES: Record<string, string> = {
  [MEDIA_TYPES.dockerLayerGzip]: MEDIA_TYPES.ociLayerGzip,
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};

/** A base layer's descriptor for an OCI manifest: unchanged but for a Docker media type's OCI name. */
export function ociLayerDescriptor(descriptor: Descriptor): Descriptor {
  const mediaType = OCI_LAYER_TYPES[descriptor.mediaType];
  return mediaType ? { ...descriptor, mediaType } : descriptor;
}

/**
 * The platform's image manifest: the base's layer descriptors as the base
 * lists them (so its blobs are reused, never recompressed; a Docker media
 * type is given its OCI name, as buildkit does for OCI output), then the new
 * layers; the descriptor carries the platform for an index.
 */
export function imageManifest(
  config: Serialized<ImageConfig>,
  baseLayers: Descriptor[],
  newLayers: Descriptor[],
  annotations: Record<string, string>,
  platform: Platform,
): Serialized<ImageManifest> {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: config.descriptor,
    layers: [...baseLayers.map(ociLayerDescriptor), ...newLayers],
    annotations,
  };
  return serialize(manifest, MEDIA_TYPES.ociManifest, { platform });
}

/** An OCI index over per-platform manifests (no attestation entries: those go out as referrers). */
export function imageIndex(manifests: Descriptor[], annotations: Record<string, string>): Serialized<ImageIndex> {
  return serialize<ImageIndex>({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests, annotations }, MEDIA_TYPES.ociIndex);
}
