export const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** The buildType: what externalParameters mean is defined by this action's inputs. */
export const GANTRY_BUILD_TYPE = 'https://github.com/gantry-actions/gantry/package-immutable-image/v1';

export interface ProvenanceOptions {
  /** The image: repository name and digest. */
  subject: { name: string; digest: string };
  /** Who ran the build, e.g. the workflow's URL at its ref, or `gantry-local` on a laptop. */
  builderId: string;
  buildType?: string;
  /** The inputs as given (never credentials). */
  externalParameters: Record<string, unknown>;
  internalParameters?: Record<string, unknown>;
  /** `git+https://github.com/OWNER/REPO@refs/heads/main` style URI and the commit. */
  source?: { uri: string; revision: string };
  /** The base image as resolved (omit for scratch). */
  base?: { name: string; digest: string };
  invocationId?: string;
  startedOn?: string;
  finishedOn?: string;
}

/**
 * An in-toto v1 statement carrying a SLSA v1 provenance predicate: the
 * image is the subject; the source revision and the base image digest are
 * the resolved dependencies. Unsigned: signing is the publisher's job.
 */
export function slsaProvenance(options: ProvenanceOptions): Record<string, unknown> {
  const resolvedDependencies: Array<Record<string, unknown>> = [];
  if (options.source) resolvedDependencies.push({ uri: options.source.uri, digest: { gitCommit: options.source.revision } });
  if (options.base) resolvedDependencies.push({ uri: `oci://${options.base.name}`, name: options.base.name, digest: digestMap(options.base.digest) });
  const metadata: Record<string, string> = {};
  if (options.invocationId) metadata.invocationId = options.invocationId;
  if (options.startedOn) metadata.startedOn = options.startedOn;
  if (options.finishedOn) metadata.finishedOn = options.finishedOn;
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: options.subject.name, digest: digestMap(options.subject.digest) }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: options.buildType ?? GANTRY_BUILD_TYPE,
        externalParameters: options.externalParameters,
        ...(options.internalParameters ? { internalParameters: options.internalParameters } : {}),
        resolvedDependencies,
      },
      runDetails: {
        builder: { id: options.builderId },
        ...(Object.keys(metadata).length ? { metadata } : {}),
      },
    },
  };
}

/** `sha256:<hex>` → `{ sha256: '<hex>' }`, the in-toto DigestSet. */
function digestMap(digest: string): Record<string, string> {
  const [alg = '', hex = ''] = digest.split(':', 2);
  return { [alg]: hex };
}
