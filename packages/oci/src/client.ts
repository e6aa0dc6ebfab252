import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { repositoryScope } from './auth';
import { DigestMismatchError, isDigest, sha256Digest, verifyDigest } from './digest';
import { RegistryError } from './errors';
import { Transport, type TransportOptions } from './transport';
import { MEDIA_TYPES, type Descriptor, type ImageIndex, type ImageManifest } from './types';
import { pushBlob, type BlobSource, type PushBlobOptions, type PushBlobResult } from './upload';

export type RegistryClientOptions = TransportOptions;

const MANIFEST_ACCEPT = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList].join(', ');
const MAX_REDIRECTS = 5;

export interface PulledManifest {
  descriptor: Descriptor;
  bytes: Buffer;
  json: ImageManifest | ImageIndex;
}

/**
 * A distribution-spec client for one registry: manifests, blobs, mounts,
 * referrers and tags, with auth, retries and digest verification built in.
 * Repository names are the path in the registry (`owner/app`).
 */
export class RegistryClient {
  private readonly transport: Transport;

  constructor(options: RegistryClientOptions) {
    this.transport = new Transport(options);
  }

  get registry(): string {
    return this.transport.registry;
  }

  /** Scheme and host requests go to, e.g. `https://ghcr.io` or `http://127.0.0.1:5000`. */
  get baseUrl(): string {
    return this.transport.origin;
  }

  /** `GET /v2/`: checks the registry answers and that the credentials are accepted. */
  async ping(): Promise<void> {
    await this.transport.withRetry(`ping ${this.registry}`, async () => {
      const response = await this.transport.send({ operation: 'ping', scopes: [], method: 'GET', url: '/v2/', expect: [200] });
      await response.body?.cancel();
    });
  }

  /** Pulls a manifest or index by tag or digest, verified against the digest asked for or announced. */
  async getManifest(repository: string, reference: string): Promise<PulledManifest> {
    const what = `manifest ${this.registry}/${repository}:${reference}`;
    return this.transport.withRetry(`get ${what}`, async () => {
      const exchange = { operation: `get manifest ${reference}`, repository };
      const response = await this.transport.send({ ...exchange, scopes: [repositoryScope(repository)], method: 'GET', url: manifestPath(repository, reference), headers: { accept: MANIFEST_ACCEPT }, expect: [200] });
      const bytes = await this.readBody(response, exchange);
      const digest = sha256Digest(bytes);
      const announced = response.headers.get('docker-content-digest');
      const expected = isDigest(reference) ? reference : announced && announced.startsWith('sha256:') ? announced : undefined;
      if (expected) verifyDigest(bytes, expected, what);
      let json: ImageManifest | ImageIndex;
      try {
        json = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
      } catch {
        throw new RegistryError({ registry: this.registry, repository, operation: exchange.operation, status: 200, cause: 'the manifest is not JSON' });
      }
      const mediaType = json.mediaType ?? contentType(response) ?? MEDIA_TYPES.ociManifest;
      return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
    });
  }

  /** HEADs a manifest: its descriptor, or undefined when the registry does not have it. */
  async headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    const response = await this.transport.withRetry(`head manifest ${this.registry}/${repository}:${reference}`, () =>
      this.transport.send({ operation: `check manifest ${reference}`, repository, scopes: [repositoryScope(repository)], method: 'HEAD', url: manifestPath(repository, reference), headers: { accept: MANIFEST_ACCEPT }, expect: [200, 404] }),
    );
    if (response.status === 404) return undefined;
    const digest = response.headers.get('docker-content-digest');
    const size = Number(response.headers.get('content-length'));
    const mediaType = contentType(response);
    if (!digest || !mediaType || !Number.isFinite(size) || size <= 0) return (await this.getManifest(repository, reference)).descriptor;
    return { mediaType, digest, size };
  }

  /** PUTs a manifest or index under a tag or its digest; returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    if (isDigest(reference) && reference !== digest) throw new DigestMismatchError(reference, digest, `manifest for ${this.registry}/${repository}`);
    await this.transport.withRetry(`put manifest ${this.registry}/${repository}:${reference}`, async () => {
      const operation = `put manifest ${reference}`;
      const response = await this.transport.send({ operation, repository, scopes: [repositoryScope(repository, true)], method: 'PUT', url: manifestPath(repository, reference), headers: { 'content-type': mediaType }, body: () => bytes, expect: [201] });
      await response.body?.cancel();
      const stored = response.headers.get('docker-content-digest');
      if (stored && stored !== digest) throw new RegistryError({ registry: this.registry, repository, operation, cause: `the registry stored ${stored}, expected ${digest}` });
    });
    return digest;
  }

  /** Whether the repository has a blob. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.transport.withRetry(`check blob ${digest}`, () =>
      this.transport.send({ operation: `check blob ${digest}`, repository, scopes: [repositoryScope(repository)], method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, expect: [200, 307, 302, 303, 404] }),
    );
    return response.status !== 404;
  }

  /** Pulls a blob into memory, verified against its digest. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    return this.transport.withRetry(`get blob ${digest}`, async () => {
      const { response, exchange } = await this.openBlob(repository, digest);
      const bytes = await this.readBody(response, exchange);
      verifyDigest(bytes, digest, `blob ${this.registry}/${repository}@${digest}`);
      return bytes;
    });
  }

  /** Streams a blob into a file, hashing on the way; the file appears (atomically) only when the digest matched. */
  async copyBlobToFile(repository: string, digest: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await this.transport.withRetry(`get blob ${digest}`, async () => {
      const { response, exchange } = await this.openBlob(repository, digest);
      const temp = `${path}.${randomBytes(6).toString('hex')}.part`;
      const hash = createHash('sha256');
      const hasher = new Transform({ transform: (chunk: Buffer, _encoding, done) => (hash.update(chunk), done(null, chunk)) });
      try {
        await pipeline(Readable.fromWeb(response.body! as never), hasher, createWriteStream(temp));
      } catch (error) {
        await rm(temp, { force: true });
        throw this.transport.networkError(exchange, error);
      }
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest) {
        await rm(temp, { force: true });
        throw new DigestMismatchError(digest, actual, `blob ${this.registry}/${repository}@${digest}`);
      }
      await rename(temp, path);
    });
  }

  /** Pushes a blob unless present: see {@link pushBlob} (content may be fetched lazily). */
  pushBlob(repository: string, descriptor: Descriptor, content: BlobSource, options?: PushBlobOptions): Promise<PushBlobResult> {
    return pushBlob(this.transport, repository, descriptor, content, options);
  }

  /** The referrers of a manifest (OCI 1.1 Referrers API); undefined when the registry has no such API. */
  async referrers(repository: string, digest: string, artifactType?: string): Promise<Descriptor[] | undefined> {
    const query = artifactType ? `?${new URLSearchParams({ artifactType })}` : '';
    return this.transport.withRetry(`referrers of ${digest}`, async () => {
      const exchange = { operation: `list referrers of ${digest}`, repository };
      const response = await this.transport.send({ ...exchange, scopes: [repositoryScope(repository)], method: 'GET', url: `/v2/${repository}/referrers/${digest}${query}`, headers: { accept: MEDIA_TYPES.ociIndex }, expect: [200, 404] });
      const bytes = await this.readBody(response, exchange);
      if (response.status === 404 || contentType(response) !== MEDIA_TYPES.ociIndex) return undefined;
      const index = JSON.parse(bytes.toString('utf8')) as ImageIndex;
      const filtered = response.headers.get('oci-filters-applied')?.includes('artifactType');
      return artifactType && !filtered ? index.manifests.filter((d) => d.artifactType === artifactType) : index.manifests;
    });
  }

  /** Every tag of a repository (following `Link: rel="next"` pages); [] when the repository is unknown. */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    while (next) {
      const url: string = next;
      const exchange = { operation: 'list tags', repository };
      const page = await this.transport.withRetry(`list tags of ${repository}`, async () => {
        const response = await this.transport.send({ ...exchange, scopes: [repositoryScope(repository)], method: 'GET', url, expect: [200, 404] });
        const bytes = await this.readBody(response, exchange);
        if (response.status === 404) return { tags: [], link: null };
        return { tags: (JSON.parse(bytes.toString('utf8')) as { tags?: string[] | null }).tags ?? [], link: response.headers.get('link') };
      });
      tags.push(...page.tags);
      next = page.link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(page.link)?.[1] : undefined;
    }
    return tags;
  }

  /** GETs a blob, following redirects (to a CDN, without credentials). */
  private async openBlob(repository: string, digest: string) {
    const exchange = { operation: `get blob ${digest}`, repository };
    let url: string | URL = `/v2/${repository}/blobs/${digest}`;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.transport.send({ ...exchange, scopes: [repositoryScope(repository)], method: 'GET', url, expect: [200, 301, 302, 303, 307, 308] });
      const location = response.headers.get('location');
      if (response.status === 200 || !location) return { response, exchange };
      await response.body?.cancel();
      url = new URL(location, this.transport.url(url));
    }
    throw new RegistryError({ registry: this.registry, repository, operation: exchange.operation, cause: `more than ${MAX_REDIRECTS} redirects` });
  }

  private async readBody(response: Response, exchange: { operation: string; repository?: string }): Promise<Buffer> {
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw this.transport.networkError(exchange, error);
    }
  }
}

function manifestPath(repository: string, reference: string): string {
  return `/v2/${repository}/manifests/${reference}`;
}

function contentType(response: Response): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
}
