import type { BlobContent, Descriptor } from '@gantry/oci';
import type { BuiltImage } from './build';

/** What writing an image needs from an OCI layout (the shape of @gantry/oci's OciLayout). */
export interface LayoutLike {
  hasBlob(digest: string): Promise<boolean>;
  /** Stores content as a blob and returns its descriptor (digest computed from the content). */
  writeBlob(content: BlobContent, mediaType?: string): Promise<Descriptor>;
  /** Lists a manifest in index.json, under `refName` when given. */
  addManifest(descriptor: Descriptor, refName?: string): Promise<void>;
}

export class LayoutWriteError extends Error {
  override name = 'LayoutWriteError';
}

/**
 * Writes a built image into an OCI layout: every blob (base layers through
 * the base source when the layout lacks them), each platform's manifest,
 * the index when there is one, and last the top entry in index.json — so a
 * reader never finds a listed image with a missing blob.
 */
export async function writeToLayout(built: BuiltImage, layout: LayoutLike, tag?: string): Promise<{ written: number; present: number }> {
  let written = 0;
  let present = 0;
  const put = async (descriptor: Descriptor, content: BlobContent | undefined, what: string) => {
    if (await layout.hasBlob(descriptor.digest)) {
      present++;
      return;
    }
    let body = content;
    if (!body) {
      if (!built.readBaseBlob) throw new LayoutWriteError(`${what} ${descriptor.digest} is not in the layout and the base image source cannot read blobs`);
      body = await built.readBaseBlob(descriptor);
    }
    const stored = await layout.writeBlob(body, descriptor.mediaType);
    if (stored.digest !== descriptor.digest) throw new LayoutWriteError(`${what} was stored as ${stored.digest}, expected ${descriptor.digest}`);
    written++;
  };
  for (const entry of built.blobs.values()) await put(entry.descriptor, entry.content, `${entry.origin} blob`);
  for (const image of built.manifests) await put(image.descriptor, image.bytes, 'manifest');
  if (built.manifests.length > 1) await put(built.descriptor, built.bytes, 'index');
  await layout.addManifest(built.descriptor, tag);
  return { written, present };
}
