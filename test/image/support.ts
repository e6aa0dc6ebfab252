import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { MEDIA_TYPES, sha256Digest, type Descriptor, type ImageConfig, type ImageManifest, type Platform } from '@gantry/oci';
import { canonicalJson, resolveBaseManifests, type BaseImageSource } from '@gantry/image';

export { TempDirs } from '../support/temp';

/** Writes files (`path: content`, or `{ link }` for a symlink, `{ content, mode }`) under `root`. */
export async function writeTree(root: string, files: Record<string, string | { link: string } | { content: string; mode: number }>): Promise<void> {
  for (const [path, spec] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    if (typeof spec === 'string') await writeFile(target, spec);
    else if ('link' in spec) await symlink(spec.link, target);
    else await writeFile(target, spec.content, { mode: spec.mode });
  }
}

export interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  linkname: string | null;
  content: string;
}

/** Every entry of a tar+gzip blob, in archive order, read with tar-stream. */
export async function readLayer(blob: Buffer): Promise<TarEntry[]> {
  const extract = tar.extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const h = entry.header;
      entries.push({
        name: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        uname: h.uname,
        gname: h.gname,
        mtime: h.mtime.getTime() / 1000,
        linkname: h.linkname || null,
        content: Buffer.concat(chunks).toString('utf8'),
      });
    }
  })();
  extract.end(gunzipSync(blob));
  await done;
  return entries;
}

/** A gzip tar with one file: a stand-in base layer (its bytes only need to be stable within a test). */
export async function tinyLayer(name: string, content: string): Promise<{ blob: Buffer; diffId: string }> {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return { blob: gzipSync(raw), diffId: sha256Digest(raw) };
}

/**
 * A base image held in memory as an index over `platforms` (or a lone
 * manifest), resolved through resolveBaseManifests exactly as the registry
 * and layout sources resolve theirs.
 */
export async function memoryBase(name: string, platforms: Platform[], options: { index?: boolean; env?: string[]; docker?: boolean } = {}) {
  const blobs = new Map<string, Buffer>();
  const put = (bytes: Buffer) => (blobs.set(sha256Digest(bytes), bytes), sha256Digest(bytes));
  const descriptors: Descriptor[] = [];
  for (const platform of platforms) {
    const layer = await tinyLayer(`etc/${platform.architecture}`, platform.architecture);
    const layerDescriptor = { mediaType: options.docker ? MEDIA_TYPES.dockerLayerGzip : MEDIA_TYPES.ociLayerGzip, digest: put(layer.blob), size: layer.blob.length };
    const config: ImageConfig = {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Env: options.env ?? ['PATH=/usr/bin:/bin', 'LANG=C'], Cmd: ['sh'], Labels: { base: 'yes' } },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created: '2020-01-01T00:00:00Z', created_by: 'base layer' }],
    };
    const configBytes = canonicalJson(config);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: options.docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
      config: { mediaType: options.docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig, digest: put(configBytes), size: configBytes.length },
      layers: [layerDescriptor],
    };
    const bytes = canonicalJson(manifest);
    descriptors.push({ mediaType: manifest.mediaType!, digest: put(bytes), size: bytes.length, platform });
  }
  const topBytes =
    options.index === false
      ? blobs.get(descriptors[0]!.digest)!
      : canonicalJson({ schemaVersion: 2, mediaType: options.docker ? MEDIA_TYPES.dockerManifestList : MEDIA_TYPES.ociIndex, manifests: descriptors });
  const digest = put(topBytes);
  const source: BaseImageSource = {
    name,
    resolve: (wanted) => resolveBaseManifests({ name, digest, bytes: topBytes }, async (d) => blobs.get(d.digest)!, wanted),
    readBlob: async (d) => blobs.get(d.digest)!,
  };
  return { source, digest, descriptors, blobs };
}
