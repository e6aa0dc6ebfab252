import { formatPlatform, type BuiltImage } from '@gantry/image';
import type { TagConflictError } from './errors';
import type { PackageOptions } from './package';
import type { LayerStatus, PublishResult, TagResult } from './publish';
import type { ReferrersResult } from './referrers';

/** The JSON report (`report` output): everything the summary shows, for later steps. */
export interface PackageReport {
  /** `registry/repository@digest` when pushed, else empty. */
  image: string;
  digest: string;
  mediaType: string;
  pushed: boolean;
  tags: TagResult[];
  refusedTags: Array<{ tag: string; current: string }>;
  baseImage: string;
  baseDigest: string;
  platforms: string[];
  /** Compressed bytes of every blob and manifest of the image. */
  size: number;
  layers: Array<{ digest: string; size: number; origin: 'base' | 'new'; name?: string; status: LayerStatus | 'built' }>;
  bytesUploaded: number;
  layersUploaded: number;
  sourceDateEpoch: number;
  created: string;
  reproducible?: boolean;
  ociLayout?: string;
  referrers?: { mode: string; tag?: string; artifacts: Array<{ digest: string; artifactType?: string }> };
  /** Where the SBOM and provenance documents were written. */
  documents: Record<string, string>;
  /** `unsigned` unless an attestor signed them. */
  signing: string;
  attestations: Array<{ kind: string; url?: string }>;
  skipped: string[];
}

export function buildReport(parts: {
  options: PackageOptions;
  built: BuiltImage;
  published?: PublishResult;
  referrers?: ReferrersResult;
  reproducible?: boolean;
  files: Record<string, string>;
  attestations: Array<{ kind: string; url?: string }>;
  conflict?: TagConflictError;
}): PackageReport {
  const { options, built, published } = parts;
  const statuses = new Map(published?.layers.map((l) => [l.digest, l.status]));
  const size = [...built.blobs.values()].reduce((sum, b) => sum + b.descriptor.size, 0) + built.manifests.reduce((sum, m) => sum + m.bytes.length, 0) + (built.manifests.length > 1 ? built.bytes.length : 0);
  return {
    image: published?.image ?? '',
    digest: built.digest,
    mediaType: built.mediaType,
    pushed: Boolean(published),
    tags: published?.tagResults ?? [],
    refusedTags: parts.conflict?.conflicts ?? [],
    baseImage: built.baseName,
    baseDigest: built.baseDigest ?? '',
    platforms: built.platforms.map(formatPlatform),
    size,
    layers: built.layers.map((l) => ({ digest: l.digest, size: l.size, origin: l.origin, ...(l.name ? { name: l.name } : {}), status: statuses.get(l.digest) ?? 'built' })),
    bytesUploaded: published?.bytesUploaded ?? 0,
    layersUploaded: published?.layersUploaded ?? 0,
    sourceDateEpoch: options.sourceDateEpoch,
    created: built.created,
    ...(parts.reproducible !== undefined ? { reproducible: parts.reproducible } : {}),
    ...(options.ociLayout ? { ociLayout: options.ociLayout } : {}),
    ...(parts.referrers ? { referrers: { mode: parts.referrers.mode, ...(parts.referrers.tag ? { tag: parts.referrers.tag } : {}), artifacts: parts.referrers.artifacts.map((a) => ({ digest: a.digest, ...(a.artifactType ? { artifactType: a.artifactType } : {}) })) } } : {}),
    documents: parts.files,
    signing: parts.attestations.length > 0 && options.attestor ? options.attestor.name : 'unsigned',
    attestations: parts.attestations,
    skipped: built.skipped,
  };
}
