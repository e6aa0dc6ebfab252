import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, InputReader, detectEnvironment, parseInteger } from '@gantry/action-kit';
import { parsePlatforms, type ImageSettings } from '@gantry/image';
import { parseReference } from '@gantry/oci';
import { parseBaseImage, tagsFor, type PackageOptions } from '@gantry/publish';
import { githubAttestor } from './attest';
import { git } from './git';

/** The action's settings: the library's options plus what only the action reports. */
export interface Inputs extends PackageOptions {
  /** Derived tags left out (moving semver tags not declared mutable). */
  skippedTags: Array<{ tag: string; reason: string }>;
  /** Where the source date came from, for the log. */
  sourceDateFrom: string;
  onGitHub: boolean;
  /** Why SBOM and provenance stay unsigned, when they do (for the log and summary). */
  unsignedReason: string;
}

/**
 * Reads and checks every input before anything is built or sent: a bad
 * value fails with one line naming the input, the value and what was expected.
 */
export function getInputs(reader = new InputReader(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const run = detectEnvironment(env);
  const contextInput = reader.string('context', '.');
  const context = resolve(run.workspace, contextInput);
  if (!isDirectory(context)) throw new InputError('context', contextInput, `an existing directory (${context} is not one)`);
  const dockerfileInput = reader.optional('dockerfile');
  if (dockerfileInput) {
    // The Dockerfile sets the config and the context's .dockerignore the excludes: a value here would be silently lost.
    for (const name of ['workdir', 'entrypoint', 'cmd', 'env', 'user', 'ports', 'labels', 'exclude']) {
      const value = reader.raw(name);
      if (value) throw new InputError(name, value, `nothing when "dockerfile" is set: the Dockerfile sets the image (put it there instead)`);
    }
  }
  const baseImage = reader.string('base-image', 'scratch');
  parseBaseImage(baseImage, run.workspace);
  const platforms = parsePlatforms(reader.string('platforms', 'linux/amd64'));

  const imageInput = reader.optional('image');
  const image = imageInput ? parseReference(imageInput, 'image') : undefined;
  if (image && (image.tag || image.digest)) throw new InputError('image', imageInput!, 'a repository without tag or digest, like ghcr.io/owner/app (tags go in the "tags" input)');
  const push = reader.boolean('push', true);
  if (push && !image) throw new InputError('image', '', 'the repository to push to, like ghcr.io/owner/app (or push: false)');

  const sha = run.sha ?? git(run.workspace, ['rev-parse', 'HEAD']);
  const mutableTags = reader.list('mutable-tags');
  const plan = tagsFor({ sha, ref: run.ref, tags: reader.list('tags'), mutableTags });

  const username = reader.optional('registry-username');
  const password = reader.secret('registry-password');
  if (Boolean(username) !== Boolean(password)) throw new InputError(username ? 'registry-password' : 'registry-username', '', 'both registry-username and registry-password, or neither');
  const baseUsername = reader.optional('base-registry-username');
  const basePassword = reader.secret('base-registry-password');
  if (Boolean(baseUsername) !== Boolean(basePassword)) throw new InputError(baseUsername ? 'base-registry-password' : 'base-registry-username', '', 'both base-registry-username and base-registry-password, or neither');

  const { epoch, from } = sourceDate(reader.optional('source-date-epoch'), env, run.workspace);
  const version = plan.tags.find((t) => /^\d+\.\d+\.\d+/.test(t));
  const source = {
    ...(run.repository ? { url: `${run.serverUrl}/${run.repository}` } : {}),
    ...(sha ? { revision: sha } : {}),
    ...(version ? { version } : {}),
  };
  const settings: ImageSettings = {
    ...optional('workdir', reader.optional('workdir')),
    ...optional('entrypoint', command(reader, 'entrypoint')),
    ...optional('cmd', command(reader, 'cmd')),
    ...optional('user', reader.optional('user')),
    env: reader.map('env'),
    ports: reader.list('ports'),
    labels: reader.map('labels'),
  };
  const sbom = reader.boolean('sbom', true);
  const provenance = reader.boolean('provenance', true);
  const attestMode = reader.choice('attest', ['auto', 'true', 'false'] as const, 'auto');
  const idToken = run.onGitHub && Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  if (attestMode === 'true' && !idToken) {
    throw new InputError('attest', 'true', `auto or false here: signing needs a GitHub runner and permissions id-token: write (${run.onGitHub ? 'no id-token is available' : run.description})`);
  }
  const token = reader.secret('github-token');
  const signs = attestMode !== 'false' && idToken && Boolean(token) && (sbom || provenance);
  const unsignedReason =
    attestMode === 'false' ? 'attest: false' : !run.onGitHub ? `${run.description}: no GitHub attestation service` : !idToken ? 'no id-token: the job lacks permissions id-token: write' : 'no github-token';
  const ociLayoutInput = reader.optional('oci-layout');
  const layerCacheInput = reader.optional('layer-cache');
  const externalParameters: Record<string, unknown> = {
    context: contextInput,
    'base-image': baseImage,
    platforms: reader.string('platforms', 'linux/amd64'),
    ...(imageInput ? { image: imageInput } : {}),
    tags: plan.tags,
    'source-date-epoch': epoch,
    ...(dockerfileInput ? { dockerfile: dockerfileInput } : {}),
  };
  for (const name of ['workdir', 'entrypoint', 'cmd', 'env', 'user', 'ports', 'labels', 'annotations', 'exclude', 'layers']) {
    const value = reader.raw(name);
    if (value) externalParameters[name] = value;
  }
  return {
    context,
    ...(dockerfileInput ? { dockerfile: resolve(run.workspace, dockerfileInput) } : {}),
    buildArgs: reader.map('build-args'),
    baseImage,
    platforms,
    settings,
    annotations: reader.map('annotations'),
    exclude: reader.list('exclude'),
    split: reader.choice('layers', ['dependencies', 'single'] as const, 'dependencies'),
    ...(image ? { image } : {}),
    tags: plan.tags,
    skippedTags: plan.skipped,
    mutableTags,
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(baseUsername && basePassword ? { baseCredentials: { username: baseUsername, password: basePassword } } : {}),
    insecureRegistries: reader.list('insecure-registries'),
    push,
    ...(ociLayoutInput ? { ociLayout: resolve(run.workspace, ociLayoutInput) } : {}),
    ...(layerCacheInput ? { layerCache: resolve(run.workspace, layerCacheInput) } : {}),
    sourceDateEpoch: epoch,
    sourceDateFrom: from,
    verifyReproducible: reader.boolean('verify-reproducible', false),
    sbom,
    provenance,
    ...(signs ? { attestor: githubAttestor(token!, run.repository ? `${run.serverUrl}/${run.repository}/attestations` : undefined), attestRequired: attestMode === 'true' } : {}),
    source,
    workspace: run.workspace,
    tempDir: join(run.runnerTemp, 'gantry'),
    reportPath: join(run.runnerTemp, 'gantry', `package-immutable-image-${run.stepId}`, 'report.json'),
    provenanceInfo: {
      builderId: env.GITHUB_WORKFLOW_REF ? `${run.serverUrl}/${env.GITHUB_WORKFLOW_REF}` : 'gantry-local',
      ...(run.runUrl ? { invocationId: `${run.runUrl}/attempts/${env.GITHUB_RUN_ATTEMPT || '1'}` } : {}),
      ...(run.repository ? { sourceUri: `git+${run.serverUrl}/${run.repository}${run.ref ? `@${run.ref}` : ''}` } : {}),
      externalParameters,
    },
    onGitHub: run.onGitHub,
    unsignedReason,
  };
}

/** The input, else SOURCE_DATE_EPOCH, else the commit time of HEAD, else 0 (said in the log). */
function sourceDate(input: string | undefined, env: NodeJS.ProcessEnv, workspace: string): { epoch: number; from: string } {
  if (input) return { epoch: parseInteger('source-date-epoch', input, { min: 0 }), from: 'the source-date-epoch input' };
  if (env.SOURCE_DATE_EPOCH) return { epoch: parseInteger('source-date-epoch', env.SOURCE_DATE_EPOCH, { min: 0 }), from: 'SOURCE_DATE_EPOCH' };
  const committed = git(workspace, ['log', '-1', '--format=%ct']);
  if (committed && /^\d+$/.test(committed)) return { epoch: Number(committed), from: 'the commit time of HEAD' };
  return { epoch: 0, from: 'nothing (no git history in the workspace): 1970-01-01' };
}

/** `["node", "server.js"]` (JSON, exact) or `node server.js` (split on spaces). */
function command(reader: InputReader, name: string): string[] | undefined {
  const value = reader.optional(name);
  if (!value) return undefined;
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new InputError(name, value, 'a JSON array of strings, like ["node", "server.js"], or words separated by spaces');
    return parsed as string[];
  }
  return value.split(/\s+/).filter(Boolean);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
