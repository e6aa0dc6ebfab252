import { InputError } from '@gantry/action-kit';
import { isDigest } from './digest';

/** An image reference after docker's normalisation: `registry/repository[:tag][@digest]`. */
export interface ImageReference {
  /** `host[:port]`, `docker.io` for Docker Hub. */
  registry: string;
  /** Path in the registry, e.g. `library/alpine` or `owner/app`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** The full canonical form, registry included. */
  toString(): string;
}

export const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** What a reference looks like, for error messages. */
const EXPECTED = 'an image reference like registry.example.com/owner/app:tag or name@sha256:<64 hex>';

/**
 * Parses an image reference the way docker does: a first component with a
 * dot or a port, or `localhost`, is the registry (otherwise Docker Hub, where
 * single names gain `library/`); a tag and/or a `@sha256:` digest may follow.
 * No tag is invented: use {@link manifestTarget} for "tag, digest or latest".
 * Throws InputError naming `inputName` and the value when it is invalid.
 */
export function parseReference(text: string, inputName = 'image'): ImageReference {
  const fail = (why: string): never => {
    throw new InputError(inputName, text, `${EXPECTED} (${why})`);
  };
  const value = text.trim();
  if (!value) fail('it is empty');
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) fail(`the digest "${digest}" is not sha256: followed by 64 lowercase hex digits`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`the tag "${tag}" is not 1-128 of letters, digits, _ . - (not starting with . or -)`);
  }
  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
      registry = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!HOST.test(registry)) fail(`the registry "${registry}" is not a host name with an optional port`);
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (!path) fail('the repository is empty');
  if (path.length > 255) fail('the repository is longer than 255 characters');
  for (const component of path.split('/')) {
    if (!COMPONENT.test(component)) {
      fail(
        component.toLowerCase() !== component
          ? `repository names must be lowercase, "${component}" is not`
          : `"${component}" is not a valid repository path component`,
      );
    }
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return makeReference(registry, path, tag, digest);
}

/** Builds a reference from parts that are already valid. */
export function makeReference(registry: string, repository: string, tag?: string, digest?: string): ImageReference {
  const reference: ImageReference = {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    toString: () => `${registry}/${repository}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`,
  };
  return Object.freeze(reference);
}

/** What to ask a registry for: the digest when pinned, else the tag, else `latest` (docker's default). */
export function manifestTarget(reference: Pick<ImageReference, 'tag' | 'digest'>): string {
  return reference.digest ?? reference.tag ?? 'latest';
}
