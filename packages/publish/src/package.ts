import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { silentLogger, type Logger } from '@gantry/action-kit';
import {
  buildImage,
  CYCLONEDX_MEDIA_TYPE,
  directoryLayerCache,
  cycloneDxSbom,
  IN_TOTO_MEDIA_TYPE,
  readLockfiles,
  referrerArtifact,
  ReproducibilityError,
  verifyReproducible,
  slsaProvenance,
  writeToLayout,
  type BuildOptions,
  type BuiltImage,
  type ImageSettings,
  type SourceInfo,
} from '@gantry/image';
import { OciLayout, RegistryClient, RegistryError, type ImageReference, type Platform } from '@gantry/oci';
import { PublishError, TagConflictError } from './errors';
import { publishImage, type PublishResult } from './publish';
import { attachReferrers, type ReferrersResult } from './referrers';
import { baseImageSource } from './sources';
import { buildReport, type PackageReport } from './report';

export interface Credentials {
  username: string;
  password: string;
}

/** Signs and records an attestation (GitHub's artifact attestations); absent where none is available. */
export interface Attestor {
  readonly name: string;
  attest(subject: { name: string; digest: string }, predicateType: string, predicate: unknown): Promise<{ url?: string }>;
}

export interface PackageOptions {
  context: string;
  /** Build this Dockerfile (docker buildx or buildah) instead of assembling layers. */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  baseImage: string;
  platforms: Platform[];
  settings: ImageSettings;
  annotations: Record<string, string>;
  exclude: string[];
  /** How the context becomes layers (default: one layer). */
  split?: 'single' | 'dependencies';
  /** The repository (no tag, no digest); required to push. */
  image?: ImageReference;
  tags: string[];
  mutableTags: string[];
  credentials?: Credentials;
  baseCredentials?: Credentials;
  insecureRegistries: string[];
  push: boolean;
  ociLayout?: string;
  /** Directory of compressed layers by diff_id kept between runs: an unchanged layer is not compressed again (never used by the verifying second build). */
  layerCache?: string;
  sourceDateEpoch: number;
  verifyReproducible: boolean;
  sbom: boolean;
  provenance: boolean;
  source: SourceInfo;
  /** Relative paths resolve here (oci: base images). */
  workspace: string;
  /** Temporary build files go under here. */
  tempDir: string;
  /** The JSON report is written here. */
  reportPath: string;
  provenanceInfo: { builderId: string; invocationId?: string; sourceUri?: string; externalParameters: Record<string, unknown> };
  attestor?: Attestor;
  /** Fail when attesting fails (else a warning: the image and its unsigned referrers stand). */
  attestRequired?: boolean;
  logger?: Logger;
  /** Test hook: retries of the registry clients. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface PackageResult {
  built: BuiltImage;
  published?: PublishResult;
  referrers?: ReferrersResult;
  report: PackageReport;
  /** Set when the push was refused because an immutable tag names another image (the image was pushed by digest). */
  conflict?: TagConflictError;
}

/**
 * The packaging stage: builds the image (layers from the context, or a
 * Dockerfile), optionally twice to prove it reproducible, writes it to an
 * OCI layout, pushes it (immutably) and attaches SBOM and provenance as
 * referrers; writes a JSON report whatever the outcome of the tags.
 */
export async function packageImage(options: PackageOptions): Promise<PackageResult> {
  const logger = options.logger ?? silentLogger;
  await mkdir(options.tempDir, { recursive: true });
  const work = await mkdtemp(join(options.tempDir, 'gantry-package-'));
  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string, credentials?: Credentials) => {
    const key = `${registry}\n${credentials?.username ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      client = new RegistryClient({ registry, credentials, insecureRegistries: options.insecureRegistries, logger, ...(options.retry ? { retry: options.retry } : {}) });
      clients.set(key, client);
    }
    return client;
  };
  const destination = options.image?.registry;

  const baseFor = (dir: string) =>
    baseImageSource(options.baseImage, {
      cwd: options.workspace,
      tempDir: join(dir, 'base-layers'),
      clientFor: (registry) =>
        registry === destination && !options.baseCredentials
          ? { client: clientFor(registry, options.credentials), credentialInputs: '"registry-username"/"registry-password"' }
          : { client: clientFor(registry, options.baseCredentials), credentialInputs: '"base-registry-username"/"base-registry-password"' },
    });
  const buildOptions = (dir: string, cached: boolean): BuildOptions => ({
    ...options.settings, context: options.context, platforms: options.platforms, sourceDateEpoch: options.sourceDateEpoch, exclude: options.exclude, annotations: options.annotations, source: options.source, blobDir: join(dir, 'blobs'),
    ...(options.split ? { split: options.split } : {}),
    ...(options.layerCache && cached ? { layerCache: directoryLayerCache(options.layerCache) } : {}),
  });

  const build = async (attempt: number): Promise<BuiltImage> => {
    const dir = join(work, `build-${attempt}`);
    if (options.dockerfile) {
      const { buildDockerfile, loadImageFromLayout } = await import('@gantry/dockerfile');
      const result = await buildDockerfile({ context: options.context, dockerfile: options.dockerfile, platforms: options.platforms, sourceDateEpoch: options.sourceDateEpoch, buildArgs: options.buildArgs, logger, workDir: dir, insecureRegistries: options.insecureRegistries });
      return loadImageFromLayout(result.layoutDir, result.refName);
    }
    return buildImage(buildOptions(dir, attempt === 1), baseFor(dir));
  };

  /** Builds again in other directories (for the library build, from a copy of the context) and compares. */
  const verify = async (built: BuiltImage): Promise<string> => {
    if (options.dockerfile) {
      const again = await build(2);
      if (again.digest !== built.digest) throw new PublishError(`verify-reproducible: two builds gave different digests (${built.digest} and ${again.digest})`);
      return again.digest;
    }
    const dir = join(work, 'build-2');
    try {
      return await verifyReproducible(buildOptions(dir, false), baseFor(dir), built);
    } catch (error) {
      if (error instanceof ReproducibilityError) throw new PublishError(`verify-reproducible: ${error.message}`);
      throw error;
    }
  };

  // Credentials are checked before the build, so a wrong password fails in a second.
  if (options.push) {
    if (!options.image) throw new PublishError('input "image" is required to push (or set push: false)');
    await ping(clientFor(options.image.registry, options.credentials), options);
  }
  const built = await build(1);
  logger.info(`Built ${built.digest} (${built.platforms.length} platform${built.platforms.length > 1 ? 's' : ''}, base ${built.baseName}${built.baseDigest ? `@${built.baseDigest}` : ''})`);
  let reproducible: boolean | undefined;
  if (options.verifyReproducible) {
    const again = await verify(built);
    reproducible = true;
    logger.info(`Reproducible: a second build in another directory gave the same digest ${again}`);
  }

  if (options.ociLayout) {
    const layout = await OciLayout.create(options.ociLayout);
    await writeToLayout(built, layout, options.tags[0] ?? 'latest');
    logger.info(`Wrote the image to the OCI layout ${options.ociLayout} as ${options.tags[0] ?? 'latest'}`);
  }

  const subjectName = options.image ? `${options.image.registry}/${options.image.repository}` : 'image';
  const documents: Array<{ kind: 'sbom' | 'provenance'; mediaType: string; title: string; document: Record<string, unknown> }> = [];
  if (options.sbom) {
    const dependencies = await readLockfiles(options.context, new Set(built.packaged));
    documents.push({ kind: 'sbom', mediaType: CYCLONEDX_MEDIA_TYPE, title: 'sbom.cdx.json', document: cycloneDxSbom(dependencies, { created: built.created, subject: { name: subjectName, digest: built.digest } }) });
  }
  if (options.provenance) {
    const info = options.provenanceInfo;
    const statement = slsaProvenance({
      subject: { name: subjectName, digest: built.digest },
      builderId: info.builderId,
      externalParameters: info.externalParameters,
      ...(info.sourceUri && options.source.revision ? { source: { uri: info.sourceUri, revision: options.source.revision } } : {}),
      ...(built.baseDigest ? { base: { name: built.baseName, digest: built.baseDigest } } : {}),
      ...(info.invocationId ? { invocationId: info.invocationId } : {}),
    });
    documents.push({ kind: 'provenance', mediaType: IN_TOTO_MEDIA_TYPE, title: 'provenance.intoto.json', document: statement });
  }
  const files: Record<string, string> = {};
  for (const doc of documents) {
    const path = join(dirname(options.reportPath), `${doc.kind === 'sbom' ? 'sbom.cdx' : 'provenance.intoto'}.json`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(doc.document, null, 2)}\n`);
    files[doc.kind] = path;
  }

  let published: PublishResult | undefined;
  let conflict: TagConflictError | undefined;
  let referrers: ReferrersResult | undefined;
  const attestations: Array<{ kind: string; url?: string }> = [];
  if (options.push) {
    if (!options.image) throw new PublishError('input "image" is required to push (or set push: false)');
    const client = clientFor(options.image.registry, options.credentials);
    try {
      published = await publishImage(built, { client, repository: options.image.repository, tags: options.tags, mutableTags: options.mutableTags, logger });
    } catch (error) {
      if (!(error instanceof TagConflictError)) throw explainPush(error, options.image);
      conflict = error;
      published = error.result;
    }
    if (!conflict && documents.length > 0) {
      const artifacts = documents.map((doc) => referrerArtifact(built.descriptor, doc.mediaType, doc.document, { created: built.created, title: doc.title }));
      referrers = await attachReferrers(client, options.image.repository, built.digest, artifacts);
      if (options.attestor) attestations.push(...(await attest(options.attestor, documents, { name: subjectName, digest: built.digest }, options, logger)));
    }
  }

  const report = buildReport({ options, built, published, referrers, reproducible, files, attestations, conflict });
  await mkdir(dirname(options.reportPath), { recursive: true });
  await writeFile(options.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return { built, published, referrers, report, ...(conflict ? { conflict } : {}) };
}

/** Signs each document through the attestor; a failure is a warning unless attestRequired. */
async function attest(
  attestor: Attestor,
  documents: Array<{ kind: string; document: Record<string, unknown> }>,
  subject: { name: string; digest: string },
  options: PackageOptions,
  logger: Logger,
): Promise<Array<{ kind: string; url?: string }>> {
  const done: Array<{ kind: string; url?: string }> = [];
  for (const doc of documents) {
    const predicateType = doc.kind === 'sbom' ? 'https://cyclonedx.org/bom' : String(doc.document.predicateType);
    const predicate = doc.kind === 'sbom' ? doc.document : doc.document.predicate;
    try {
      done.push({ kind: doc.kind, ...(await attestor.attest(subject, predicateType, predicate)) });
    } catch (error) {
      const message = `${attestor.name}: attesting the ${doc.kind} failed: ${(error as Error).message}`;
      if (options.attestRequired) throw new PublishError(`${message} (input "attest")`);
      logger.warning(`${message}; the ${doc.kind} stays attached unsigned (needs permissions id-token: write and attestations: write)`);
    }
  }
  return done;
}

/** `GET /v2/` with the credentials, so a wrong password fails here, before anything is sent, naming the inputs. */
async function ping(client: RegistryClient, options: PackageOptions): Promise<void> {
  try {
    await client.ping();
  } catch (error) {
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      const hint = options.credentials ? 'check inputs "registry-username" and "registry-password"' : 'no credentials were given: set inputs "registry-username" and "registry-password"';
      throw new PublishError(`registry ${client.registry} refused the credentials (${hint}): ${error.message}`);
    }
    throw explainPush(error, options.image!);
  }
}

function explainPush(error: unknown, image: ImageReference): Error {
  if (!(error instanceof RegistryError)) return error as Error;
  const where = `${image.registry}/${image.repository}`;
  return new PublishError(`pushing to ${where} (input "image") failed: ${error.message}. No tag was set; a re-run sends only what has not arrived.`);
}
