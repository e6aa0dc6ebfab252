import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { repositoryScope } from './auth';
import { verifyDigest } from './digest';
import { RegistryError } from './errors';
import type { Transport } from './transport';
import type { Descriptor } from './types';

/** A blob's bytes in memory or in a file. */
export type BlobContent = Buffer | { path: string };

/**
 * Content, or a function that fetches it: called only when the blob is
 * neither present nor mountable, so a base layer is never downloaded for
 * nothing.
 */
export type BlobSource = BlobContent | (() => Promise<BlobContent>);

export interface PushBlobOptions {
  /** Repositories on the same registry to mount the blob from before uploading it. */
  mountFrom?: string[];
  /** Upload in PATCH chunks of this many bytes instead of one PUT. */
  chunkSize?: number;
}

export type PushBlobResult = 'exists' | 'mounted' | 'uploaded';

/**
 * Pushes one blob: nothing when the repository has it, a cross-repository
 * mount when one of `mountFrom` has it, else an upload (monolithic, or
 * chunked with Content-Range). A fault anywhere restarts the whole upload
 * with a fresh session, after checking whether the blob arrived after all.
 */
export async function pushBlob(
  transport: Transport,
  repository: string,
  descriptor: Descriptor,
  source: BlobSource,
  options: PushBlobOptions = {},
): Promise<PushBlobResult> {
  const what = `blob ${descriptor.digest} for ${transport.registry}/${repository}`;
  const check = async (content: BlobContent): Promise<BlobContent> => {
    if (Buffer.isBuffer(content)) {
      verifyDigest(content, descriptor.digest, what);
    } else {
      const size = (await stat(content.path)).size;
      if (size !== descriptor.size) {
        throw new RegistryError({ registry: transport.registry, repository, operation: 'push blob', cause: `${content.path} has ${size} bytes, the descriptor says ${descriptor.size}` });
      }
    }
    return content;
  };
  let loaded: Promise<BlobContent> | undefined = typeof source === 'function' ? undefined : Promise.resolve(await check(source));
  const content = () => (loaded ??= (source as () => Promise<BlobContent>)().then(check));
  const base = `/v2/${repository}/blobs`;
  const push = repositoryScope(repository, true);
  return transport.withRetry(`push ${what}`, async (attempt) => {
    const exists = await transport.send({ operation: 'check blob', repository, scopes: [push], method: 'HEAD', url: `${base}/${descriptor.digest}`, expect: [200, 404] });
    if (exists.status === 200) return attempt === 1 ? 'exists' : 'uploaded';

    let location: URL | undefined;
    for (const [index, from] of (options.mountFrom ?? []).filter((r) => r !== repository).entries()) {
      const query = new URLSearchParams({ mount: descriptor.digest, from });
      const response = await transport.send({
        operation: `mount blob from ${from}`,
        repository,
        scopes: [push, repositoryScope(from)],
        method: 'POST',
        url: `${base}/uploads/?${query}`,
        headers: { 'content-length': '0' },
        expect: [201, 202],
      });
      await response.body?.cancel();
      if (response.status === 201) return 'mounted';
      const session = uploadLocation(transport, response, repository);
      if (index === (options.mountFrom ?? []).length - 1) location = session;
      else await cancelSession(transport, repository, push, session);
    }
    if (!location) {
      const response = await transport.send({ operation: 'start upload', repository, scopes: [push], method: 'POST', url: `${base}/uploads/`, headers: { 'content-length': '0' }, expect: [202] });
      await response.body?.cancel();
      location = uploadLocation(transport, response, repository);
    }
    if (options.chunkSize && options.chunkSize > 0) {
      location = await uploadChunks(transport, repository, push, location, descriptor.size, await content(), options.chunkSize);
      await finish(transport, repository, push, location, descriptor, undefined);
    } else {
      await finish(transport, repository, push, location, descriptor, await content());
    }
    return 'uploaded';
  });
}

async function uploadChunks(
  transport: Transport,
  repository: string,
  push: string,
  start: URL,
  size: number,
  content: BlobContent,
  chunkSize: number,
): Promise<URL> {
  let location = start;
  const file = Buffer.isBuffer(content) ? undefined : await open(content.path, 'r');
  try {
    for (let offset = 0; offset < size; offset += chunkSize) {
      const length = Math.min(chunkSize, size - offset);
      let chunk: Buffer;
      if (file) {
        chunk = Buffer.alloc(length);
        const { bytesRead } = await file.read(chunk, 0, length, offset);
        if (bytesRead !== length) throw new Error(`short read of ${(content as { path: string }).path} at ${offset}`);
      } else {
        chunk = (content as Buffer).subarray(offset, offset + length);
      }
      const response = await transport.send({
        operation: `upload chunk at byte ${offset}`,
        repository,
        scopes: [push],
        method: 'PATCH',
        url: location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(length),
          'content-range': `${offset}-${offset + length - 1}`,
        },
        body: () => chunk,
        expect: [202],
      });
      await response.body?.cancel();
      location = uploadLocation(transport, response, repository);
    }
  } finally {
    await file?.close();
  }
  return location;
}

async function finish(transport: Transport, repository: string, push: string, location: URL, descriptor: Descriptor, content: BlobContent | undefined): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', descriptor.digest);
  const body = content === undefined ? undefined : Buffer.isBuffer(content) ? () => content : () => Readable.toWeb(createReadStream(content.path)) as ReadableStream;
  const response = await transport.send({
    operation: content === undefined ? 'complete upload' : 'upload blob',
    repository,
    scopes: [push],
    method: 'PUT',
    url,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(content === undefined ? 0 : descriptor.size) },
    body,
    expect: [201],
  });
  await response.body?.cancel();
  const stored = response.headers.get('docker-content-digest');
  if (stored && stored !== descriptor.digest) {
    throw new RegistryError({ registry: transport.registry, repository, operation: 'upload blob', cause: `the registry stored ${stored}, expected ${descriptor.digest}` });
  }
}

function uploadLocation(transport: Transport, response: Response, repository: string): URL {
  const location = response.headers.get('location');
  if (!location) {
    throw new RegistryError({ registry: transport.registry, repository, operation: 'upload blob', status: response.status, cause: 'the registry gave no upload Location' });
  }
  return new URL(location, transport.origin);
}

async function cancelSession(transport: Transport, repository: string, push: string, location: URL): Promise<void> {
  try {
    const response = await transport.send({ operation: 'cancel upload', repository, scopes: [push], method: 'DELETE', url: location, expect: [204, 404] });
    await response.body?.cancel();
  } catch {
    // Best effort: an abandoned session expires on its own.
  }
}
