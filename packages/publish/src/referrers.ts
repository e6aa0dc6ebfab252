import { canonicalJson, type ReferrerArtifact } from '@gantry/image';
import { MEDIA_TYPES, RegistryError, referrersTag, type Descriptor, type ImageIndex, type RegistryClient } from '@gantry/oci';

export interface ReferrersResult {
  /** `api`: the registry indexes referrers itself; `tag-schema`: the `sha256-<hex>` index tag was written. */
  mode: 'api' | 'tag-schema';
  /** The fallback tag, in tag-schema mode. */
  tag?: string;
  /** The artifacts' manifest descriptors. */
  artifacts: Descriptor[];
}

/**
 * Pushes artifacts (SBOM, provenance) whose `subject` is an image: their
 * blobs, then their manifests by digest. Where the registry has the OCI 1.1
 * Referrers API it indexes them itself; elsewhere the referrers tag schema
 * applies: the index under `sha256-<hex>` of the subject gains them, merged
 * with what it already lists (another tool's referrers are kept).
 */
export async function attachReferrers(client: RegistryClient, repository: string, subject: string, artifacts: ReferrerArtifact[]): Promise<ReferrersResult> {
  for (const artifact of artifacts) {
    if (artifact.manifest.subject?.digest !== subject) throw new Error(`artifact ${artifact.descriptor.digest} has subject ${artifact.manifest.subject?.digest}, expected ${subject}`);
    for (const blob of artifact.blobs) await client.pushBlob(repository, blob.descriptor, blob.content);
    if (!(await client.headManifest(repository, artifact.descriptor.digest))) {
      await client.putManifest(repository, artifact.descriptor.digest, artifact.bytes, MEDIA_TYPES.ociManifest);
    }
  }
  const listed = artifacts.map((a) => referrerDescriptor(a));
  if ((await client.referrers(repository, subject)) !== undefined) return { mode: 'api', artifacts: listed };

  const tag = referrersTag(subject);
  let existing: Descriptor[] = [];
  try {
    const current = await client.getManifest(repository, tag);
    existing = (current.json as ImageIndex).manifests ?? [];
  } catch (error) {
    if (!(error instanceof RegistryError && error.status === 404)) throw error;
  }
  const manifests = [...existing.filter((d) => !listed.some((l) => l.digest === d.digest)), ...listed];
  const index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests };
  const bytes = canonicalJson(index);
  if (existing.length !== manifests.length || !existing.every((d, i) => d.digest === manifests[i]!.digest)) {
    await client.putManifest(repository, tag, bytes, MEDIA_TYPES.ociIndex);
  }
  return { mode: 'tag-schema', tag, artifacts: listed };
}

/** How a referrers index lists an artifact: media type, digest, size, artifactType and its annotations. */
function referrerDescriptor(artifact: ReferrerArtifact): Descriptor {
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest: artifact.descriptor.digest,
    size: artifact.descriptor.size,
    ...(artifact.manifest.artifactType ? { artifactType: artifact.manifest.artifactType } : {}),
    ...(artifact.manifest.annotations ? { annotations: artifact.manifest.annotations } : {}),
  };
}
