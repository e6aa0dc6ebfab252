import { silentLogger, type Logger } from '@gantry/action-kit';
import type { BuiltImage } from '@gantry/image';
import { parseReference, type BlobSource, type Descriptor, type RegistryClient } from '@gantry/oci';
import { PublishError, TagConflictError, type TagConflict } from './errors';
import { isMutable } from './tags';

export type LayerStatus = 'reused' | 'mounted' | 'uploaded';

export interface PublishedLayer {
  digest: string;
  size: number;
  origin: 'base' | 'new';
  status: LayerStatus;
}

export interface TagResult {
  tag: string;
  /** created: new tag; unchanged: already pointed at this image; moved: a mutable tag that pointed elsewhere. */
  status: 'created' | 'unchanged' | 'moved';
  previous?: string;
}

export interface PublishResult {
  digest: string;
  /** `registry/repository@digest`: the reference to deploy. */
  image: string;
  tags: string[];
  tagResults: TagResult[];
  /** Every distinct layer, the base's first. */
  layers: PublishedLayer[];
  /** Blob bytes sent (layers and configs; not what was reused or mounted). */
  bytesUploaded: number;
  layersUploaded: number;
  /** Platform manifests and index pushed now (those already there are not counted). */
  manifestsUploaded: number;
}

export interface PublishOptions {
  client: RegistryClient;
  /** Path in the registry, e.g. `owner/app`. */
  repository: string;
  tags: string[];
  /** Glob patterns of tags that may move to a new image. */
  mutableTags?: string[];
  /** Repositories on the same registry to mount base layers from; default: the base's, when it lives there. */
  mountFrom?: string[];
  logger?: Logger;
  /** Blobs pushed at once (default 4). */
  concurrency?: number;
  chunkSize?: number;
}

/**
 * Pushes a built image so that it is never half there and never overwrites:
 * blobs first (base layers are mounted or left where they are, fetched
 * from the base only when the destination lacks them), then each platform
 * manifest and the index by digest, then the tags. Every tag is checked
 * before any moves: one already on this image is left as it is, one on
 * another image is refused (TagConflictError, nothing tagged) unless it
 * matches `mutableTags`. A re-run after a fault sends only what is missing.
 */
export async function publishImage(built: BuiltImage, options: PublishOptions): Promise<PublishResult> {
  const { client, repository } = options;
  const logger = options.logger ?? silentLogger;
  const image = `${client.registry}/${repository}@${built.digest}`;
  const mountFrom = options.mountFrom ?? baseRepository(built.baseName, client.registry, repository);
  const configs = new Set(built.manifests.map((m) => m.manifest.config.digest));
  const statuses = new Map<string, LayerStatus>();
  let bytesUploaded = 0;

  const entries = [...built.blobs.values()];
  await pool(entries, options.concurrency ?? 4, async (entry) => {
    const { descriptor } = entry;
    const source: BlobSource | undefined = entry.content ?? (built.readBaseBlob ? () => built.readBaseBlob!(descriptor) : undefined);
    if (!source) {
      if (await client.hasBlob(repository, descriptor.digest)) return void statuses.set(descriptor.digest, 'reused');
      throw new PublishError(`base layer ${descriptor.digest} is not on ${client.registry}/${repository} and the base image source cannot read it`);
    }
    const result = await client.pushBlob(repository, descriptor, source, {
      ...(entry.origin === 'base' && mountFrom.length ? { mountFrom } : {}),
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    });
    const status: LayerStatus = result === 'exists' ? 'reused' : result;
    statuses.set(descriptor.digest, status);
    if (status === 'uploaded') bytesUploaded += descriptor.size;
    logger.debug(`${configs.has(descriptor.digest) ? 'config' : 'layer'} ${descriptor.digest} (${descriptor.size} bytes): ${status}`);
  });

  let manifestsUploaded = 0;
  const putByDigest = async (descriptor: Descriptor, bytes: Buffer) => {
    if (await client.headManifest(repository, descriptor.digest)) return;
    await client.putManifest(repository, descriptor.digest, bytes, descriptor.mediaType);
    manifestsUploaded++;
  };
  for (const platform of built.manifests) await putByDigest(platform.descriptor, platform.bytes);
  if (built.manifests.length > 1 || built.manifests[0]?.descriptor.digest !== built.digest) await putByDigest(built.descriptor, built.bytes);

  const layers: PublishedLayer[] = built.layers.map((layer) => ({ digest: layer.digest, size: layer.size, origin: layer.origin, status: statuses.get(layer.digest) ?? 'reused' }));
  const result: PublishResult = {
    digest: built.digest,
    image,
    tags: [],
    tagResults: [],
    layers,
    bytesUploaded,
    layersUploaded: layers.filter((l) => l.status === 'uploaded').length,
    manifestsUploaded,
  };

  // Every tag is judged before any is written, so a refusal leaves all of them as they were.
  const plan: TagResult[] = [];
  const conflicts: TagConflict[] = [];
  for (const tag of options.tags) {
    const current = await client.headManifest(repository, tag);
    if (!current) plan.push({ tag, status: 'created' });
    else if (current.digest === built.digest) plan.push({ tag, status: 'unchanged' });
    else if (isMutable(tag, options.mutableTags ?? [])) plan.push({ tag, status: 'moved', previous: current.digest });
    else conflicts.push({ tag, current: current.digest });
  }
  if (conflicts.length > 0) throw new TagConflictError(conflicts, image, result);
  for (const step of plan) {
    if (step.status !== 'unchanged') await client.putManifest(repository, step.tag, built.bytes, built.mediaType);
    logger.info(`tag ${step.tag}: ${step.status}${step.previous ? ` (was ${step.previous})` : ''}`);
  }
  result.tagResults = plan;
  result.tags = plan.map((p) => p.tag);
  return result;
}

/** The base's repository when it lives on the destination registry (its layers can be mounted from there). */
function baseRepository(baseName: string, registry: string, repository: string): string[] {
  if (baseName === 'scratch' || baseName.startsWith('oci:')) return [];
  try {
    const base = parseReference(baseName);
    return base.registry === registry && base.repository !== repository ? [base.repository] : [];
  } catch {
    return [];
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure rejects once all started work settled. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
