import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDigest, sha256Digest, verifyDigest } from './digest';
import { MEDIA_TYPES, type Descriptor, type ImageIndex } from './types';

/** The annotation an OCI layout's index.json uses to name (tag) a manifest. */
export const REF_NAME = 'org.opencontainers.image.ref.name';

export class OciLayoutError extends Error {
  override name = 'OciLayoutError';
}

/**
 * An OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`):
 * a registry on disk, readable by skopeo, umoci and podman as `oci:DIR:TAG`.
 * Every file is written to a temporary name and renamed into place, so a
 * reader never sees half a blob or half an index.
 */
export class OciLayout {
  /** Serialises index.json updates within this process. */
  private indexQueue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  /** Opens an existing layout; throws OciLayoutError when `dir` is not one. */
  static async open(dir: string): Promise<OciLayout> {
    let marker: { imageLayoutVersion?: string };
    try {
      marker = JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8')) as typeof marker;
    } catch {
      throw new OciLayoutError(`${dir} is not an OCI image layout (no readable oci-layout file)`);
    }
    if (!marker.imageLayoutVersion?.startsWith('1.')) {
      throw new OciLayoutError(`${dir}: unsupported imageLayoutVersion ${JSON.stringify(marker.imageLayoutVersion)}`);
    }
    const layout = new OciLayout(dir);
    await layout.index();
    return layout;
  }

  /** Creates a layout in `dir` (made if missing), or opens the one already there. */
  static async create(dir: string): Promise<OciLayout> {
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    if (await exists(join(dir, 'oci-layout'))) return OciLayout.open(dir);
    const layout = new OciLayout(dir);
    if (!(await exists(join(dir, 'index.json')))) {
      await layout.writeAtomic(join(dir, 'index.json'), `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] })}\n`);
    }
    await layout.writeAtomic(join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
    return layout;
  }

  /** Where a blob lives (whether or not it is there yet). */
  blobPath(digest: string): string {
    if (!isDigest(digest)) throw new OciLayoutError(`not a sha256 digest: ${digest}`);
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  async hasBlob(digest: string): Promise<boolean> {
    return exists(this.blobPath(digest));
  }

  /** Stores bytes or a file's content as a blob (no-op when present); returns its descriptor. */
  async writeBlob(content: Buffer | { path: string }, mediaType = 'application/octet-stream'): Promise<Descriptor> {
    if (Buffer.isBuffer(content)) {
      const digest = sha256Digest(content);
      if (!(await this.hasBlob(digest))) await this.writeAtomic(this.blobPath(digest), content);
      return { mediaType, digest, size: content.length };
    }
    const temp = join(this.dir, 'blobs', 'sha256', `.tmp-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    const hasher = new Transform({ transform: (chunk: Buffer, _encoding, done) => (hash.update(chunk), done(null, chunk)) });
    try {
      await pipeline(createReadStream(content.path), hasher, createWriteStream(temp));
      const digest = `sha256:${hash.digest('hex')}`;
      const { size } = await stat(temp);
      if (await this.hasBlob(digest)) await rm(temp, { force: true });
      else await rename(temp, this.blobPath(digest));
      return { mediaType, digest, size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Reads a blob, verified against its digest. */
  async readBlob(digest: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.blobPath(digest));
    } catch {
      throw new OciLayoutError(`${this.dir} has no blob ${digest}`);
    }
    verifyDigest(bytes, digest, `blob ${digest} in ${this.dir}`);
    return bytes;
  }

  /**
   * Lists a manifest in index.json. With `refName` it becomes that name's
   * only entry (like moving a tag); without, it is added unless listed.
   */
  addManifest(descriptor: Descriptor, refName?: string): Promise<void> {
    const update = this.indexQueue.then(async () => {
      const index = await this.index();
      let manifests = index.manifests;
      if (refName !== undefined) {
        manifests = manifests.filter((d) => d.annotations?.[REF_NAME] !== refName);
        manifests.push({ ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME]: refName } });
      } else if (!manifests.some((d) => d.digest === descriptor.digest && !d.annotations?.[REF_NAME])) {
        manifests.push(descriptor);
      }
      await this.writeAtomic(join(this.dir, 'index.json'), `${JSON.stringify({ ...index, manifests }, null, 2)}\n`);
    });
    this.indexQueue = update.catch(() => undefined);
    return update;
  }

  /** The descriptor listed under `refName` (or with that digest), if any. */
  async resolve(refName: string): Promise<Descriptor | undefined> {
    const { manifests } = await this.index();
    if (isDigest(refName)) return manifests.find((d) => d.digest === refName);
    return manifests.find((d) => d.annotations?.[REF_NAME] === refName);
  }

  /** The parsed index.json. */
  async index(): Promise<ImageIndex> {
    const path = join(this.dir, 'index.json');
    let index: ImageIndex;
    try {
      index = JSON.parse(await readFile(path, 'utf8')) as ImageIndex;
    } catch {
      throw new OciLayoutError(`${path} is missing or not JSON`);
    }
    if (index.schemaVersion !== 2 || !Array.isArray(index.manifests)) throw new OciLayoutError(`${path} is not an OCI image index`);
    return index;
  }

  private async writeAtomic(path: string, content: string | Buffer): Promise<void> {
    const temp = `${path}.tmp-${randomBytes(8).toString('hex')}`;
    try {
      await writeFile(temp, content);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
