import { MEDIA_TYPES, sha256Digest, type Descriptor, type ImageManifest } from '@gantry/oci';
import { canonicalJson } from './canonical';
import { serialize } from './manifest';

const EMPTY = Buffer.from('{}');

/** The OCI empty config blob (`{}`) artifact manifests point at. */
export const EMPTY_CONFIG: { descriptor: Descriptor; content: Buffer } = {
  descriptor: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256Digest(EMPTY), size: EMPTY.length },
  content: EMPTY,
};

export interface ReferrerArtifact {
  manifest: ImageManifest;
  bytes: Buffer;
  descriptor: Descriptor;
  /** The empty config and the payload layer, to push before the manifest. */
  blobs: Array<{ descriptor: Descriptor; content: Buffer }>;
}

/**
 * Wraps a document (SBOM, provenance) as an OCI artifact whose `subject` is
 * the image, found through the Referrers API or its tag-schema fallback. It
 * is never listed in the image's index, so the image digest stays the same
 * whether or not attestations are made.
 */
export function referrerArtifact(
  subject: Descriptor,
  artifactType: string,
  document: unknown,
  options: { created: string; title: string; annotations?: Record<string, string> },
): ReferrerArtifact {
  const payload = canonicalJson(document);
  const layer: Descriptor = {
    mediaType: artifactType,
    digest: sha256Digest(payload),
    size: payload.length,
    annotations: { 'org.opencontainers.image.title': options.title },
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType,
    config: EMPTY_CONFIG.descriptor,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'org.opencontainers.image.created': options.created, ...options.annotations },
  };
  const serialized = serialize(manifest, MEDIA_TYPES.ociManifest, { artifactType });
  return {
    manifest,
    bytes: serialized.bytes,
    descriptor: serialized.descriptor,
    blobs: [EMPTY_CONFIG, { descriptor: layer, content: payload }],
  };
}

