import { isLoopback, parseReference } from '@gantry/oci';

/** containers/image transports other than a registry: no network involved. */
const TRANSPORT = /^(oci|oci-archive|docker-archive|docker-daemon|containers-storage|dir):/;

/**
 * The registries a Dockerfile's `FROM` lines pull from. Stage names, `scratch`,
 * and transport references (`oci:…`, `docker-archive:…`) are not registries
 * and are left out; `undefined` stands for a reference built from `$ARG`s or
 * one that could not be read (an unknown registry).
 */
export function baseRegistries(dockerfile: string): Array<string | undefined> {
  const stages = new Set<string>();
  const registries: Array<string | undefined> = [];
  // Line continuations joined first, so `FROM \` on its own line still reads.
  for (const line of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!match) continue;
    const ref = match[1]!.replace(/^docker:\/\//, '');
    const earlierStage = stages.has(ref.toLowerCase());
    if (match[2]) stages.add(match[2].toLowerCase());
    if (ref === 'scratch' || earlierStage || TRANSPORT.test(ref)) continue;
    if (ref.includes('$')) {
      registries.push(undefined);
      continue;
    }
    try {
      registries.push(parseReference(ref).registry);
    } catch {
      registries.push(undefined);
    }
  }
  return registries;
}

/**
 * Whether buildah may pull bases without TLS (`--tls-verify=false`, which
 * then holds for every registry of the build): only when every registry the
 * Dockerfile names is on loopback (plain HTTP, as Docker does) or listed as
 * insecure, so a public base is never fetched unverified alongside them.
 */
export function plainHttpBases(dockerfile: string, insecureRegistries: string[]): boolean {
  const registries = baseRegistries(dockerfile);
  return registries.length > 0 && registries.every((registry) => registry !== undefined && (isLoopback(registry) || insecureRegistries.includes(registry)));
}
