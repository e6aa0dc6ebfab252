import { join, resolve as resolvePath } from 'node:path';
import { InputError } from '@gantry/action-kit';
import { BaseImageError, resolveBaseManifests, scratch, type BaseImageSource, type ResolvedBase } from '@gantry/image';
import {
  MEDIA_TYPES,
  OciLayout,
  RegistryError,
  isDigest,
  manifestTarget,
  parseReference,
  type BlobContent,
  type Descriptor,
  type ImageReference,
  type Platform,
  type RegistryClient,
} from '@gantry/oci';

/** A base source that knows where its blobs live on a registry, so the publisher can mount them. */
export interface RegistryBaseSource extends BaseImageSource {
  readonly location: { registry: string; repository: string };
}

const MANIFEST_TYPES: string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList];

/**
 * A base image on a registry. Manifests and configs are fetched when the
 * build resolves it; layers only through `readBlob`, which the publisher
 * calls when the destination neither has nor can mount them (it streams
 * each into `tempDir`, checked against its digest).
 */
export function registryBaseSource(client: RegistryClient, reference: ImageReference, options: { tempDir: string; input?: string; credentialInputs?: string }): RegistryBaseSource {
  const name = String(reference);
  const input = options.input ?? 'base-image';
  const explain = (error: unknown): Error => {
    if (!(error instanceof RegistryError)) return error as Error;
    if (error.status === 404) return new BaseImageError(`base image ${name} was not found on ${reference.registry} (input "${input}"): ${error.message}`);
    if (error.status === 401 || error.status === 403) {
      return new BaseImageError(`base image ${name}: the registry refused the credentials (inputs ${options.credentialInputs ?? '"registry-username"/"registry-password"'}): ${error.message}`);
    }
    return new BaseImageError(`base image ${name} (input "${input}"): ${error.message}`);
  };
  return {
    name,
    location: { registry: reference.registry, repository: reference.repository },
    async resolve(platforms: Platform[]): Promise<ResolvedBase> {
      try {
        const top = await client.getManifest(reference.repository, manifestTarget(reference));
        const fetch = async (descriptor: Descriptor) =>
          MANIFEST_TYPES.includes(descriptor.mediaType)
            ? (await client.getManifest(reference.repository, descriptor.digest)).bytes
            : client.getBlob(reference.repository, descriptor.digest);
        return await resolveBaseManifests({ name, digest: top.descriptor.digest, mediaType: top.descriptor.mediaType, bytes: top.bytes }, fetch, platforms);
      } catch (error) {
        throw explain(error);
      }
    },
    async readBlob(descriptor: Descriptor): Promise<BlobContent> {
      const path = join(options.tempDir, descriptor.digest.replace(':', '-'));
      try {
        await client.copyBlobToFile(reference.repository, descriptor.digest, path);
      } catch (error) {
        throw explain(error);
      }
      return { path };
    },
  };
}

/**
 * A base image in an OCI image layout directory, selected by
 * `org.opencontainers.image.ref.name` or digest; with neither, the layout's
 * only image. Its blobs are read in place.
 */
export function layoutBaseSource(dir: string, selector: string | undefined, options: { name?: string; input?: string } = {}): BaseImageSource {
  const name = options.name ?? `oci:${dir}${selector ? (isDigest(selector) ? `@${selector}` : `:${selector}`) : ''}`;
  const input = options.input ?? 'base-image';
  let opened: Promise<OciLayout> | undefined;
  const layout = () =>
    (opened ??= OciLayout.open(dir).catch((error: Error) => {
      throw new BaseImageError(`base image ${name} (input "${input}"): ${error.message}`);
    }));
  return {
    name,
    async resolve(platforms: Platform[]): Promise<ResolvedBase> {
      const oci = await layout();
      let top: Descriptor | undefined;
      if (selector) {
        top = await oci.resolve(selector);
      } else {
        const { manifests } = await oci.index();
        if (manifests.length > 1) throw new BaseImageError(`base image ${name} lists ${manifests.length} images: name one as oci:DIR:NAME or oci:DIR@sha256:… (input "${input}")`);
        top = manifests[0];
      }
      if (!top) throw new BaseImageError(`base image ${name} was not found in the layout ${dir} (input "${input}")`);
      const bytes = await oci.readBlob(top.digest);
      return resolveBaseManifests({ name, digest: top.digest, mediaType: top.mediaType, bytes }, (d) => oci.readBlob(d.digest), platforms);
    },
    async readBlob(descriptor: Descriptor): Promise<BlobContent> {
      const oci = await layout();
      if (!(await oci.hasBlob(descriptor.digest))) throw new BaseImageError(`base image ${name}: the layout has no blob ${descriptor.digest}`);
      return { path: oci.blobPath(descriptor.digest) };
    },
  };
}

/** What a `base-image` value names. */
export type BaseImageSpec =
  | { kind: 'scratch' }
  | { kind: 'layout'; dir: string; selector?: string; text: string }
  | { kind: 'registry'; reference: ImageReference };

/**
 * Parses a `base-image` value: `scratch`; `oci:DIR`, `oci:DIR:NAME` or
 * `oci:DIR@sha256:…` for an OCI layout (DIR relative to `cwd`); anything else
 * is a registry reference (`registry/repo:tag`, `@sha256:…`, Docker Hub names).
 */
export function parseBaseImage(text: string, cwd: string, input = 'base-image'): BaseImageSpec {
  const value = text.trim();
  if (value === '' || value === 'scratch') return { kind: 'scratch' };
  if (value.startsWith('oci:')) {
    let rest = value.slice(4);
    let selector: string | undefined;
    const at = rest.lastIndexOf('@');
    if (at >= 0 && isDigest(rest.slice(at + 1))) {
      selector = rest.slice(at + 1);
      rest = rest.slice(0, at);
    } else {
      const colon = rest.lastIndexOf(':');
      if (colon > rest.lastIndexOf('/')) {
        selector = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
      }
    }
    if (!rest) throw new InputError(input, text, 'oci:DIR, oci:DIR:NAME or oci:DIR@sha256:<hex> (the directory is empty)');
    return { kind: 'layout', dir: resolvePath(cwd, rest), ...(selector ? { selector } : {}), text: value };
  }
  return { kind: 'registry', reference: parseReference(value, input) };
}

/**
 * The base source for a `base-image` value; `clientFor` gives the registry
 * client (with the right credentials) for a registry host.
 */
export function baseImageSource(
  text: string,
  options: { cwd: string; tempDir: string; clientFor: (registry: string) => { client: RegistryClient; credentialInputs: string }; input?: string },
): BaseImageSource {
  const spec = parseBaseImage(text, options.cwd, options.input);
  if (spec.kind === 'scratch') return scratch;
  if (spec.kind === 'layout') return layoutBaseSource(spec.dir, spec.selector, { name: spec.text, input: options.input });
  const { client, credentialInputs } = options.clientFor(spec.reference.registry);
  return registryBaseSource(client, spec.reference, { tempDir: options.tempDir, input: options.input, credentialInputs });
}
