import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, type Logger } from '@gantry/action-kit';
import { OciLayout, type Platform } from '@gantry/oci';
import { buildWithBuildah, type ToolBuild, type ToolFailure } from './buildah';
import { buildWithBuildx } from './buildx';
import { DockerfileBuildError } from './errors';
import { probe } from './exec';

export type DockerfileTool = 'buildah' | 'docker-buildx';

export interface DockerfileBuildOptions {
  /** Build context directory. */
  context: string;
  /** The Dockerfile: absolute, or relative to the current directory (like `docker build -f`). */
  dockerfile: string;
  platforms: Platform[];
  /** Seconds since the epoch: config, history and file times. */
  sourceDateEpoch: number;
  buildArgs?: Record<string, string>;
  /** `auto` (default): docker buildx when `docker buildx version` works, else buildah. */
  tool?: 'auto' | 'buildah' | 'docker';
  logger: Logger;
  /** Where the layout (and buildah's temporary storage) go; default a new temp directory. */
  workDir?: string;
  /**
   * Registries bases may come from over plain HTTP or unverified TLS, besides loopback ones. buildah
   * gets `--tls-verify=false` only when every registry the Dockerfile's FROM lines name is one of these.
   */
  insecureRegistries?: string[];
}

export interface DockerfileBuildResult {
  /** An OCI image layout holding the image under `refName`: read it with {@link loadImageFromLayout}. */
  layoutDir: string;
  refName: string;
  tool: DockerfileTool;
}

const REF_NAME = 'dockerfile';

/**
 * Builds a Dockerfile reproducibly with docker buildx or buildah into an OCI
 * layout. A missing context or Dockerfile is an InputError; a failing build
 * is one DockerfileBuildError naming the `dockerfile` input, the tool's step
 * and its last output lines.
 */
export async function buildDockerfile(options: DockerfileBuildOptions): Promise<DockerfileBuildResult> {
  const context = resolve(options.context);
  const dockerfile = resolve(options.dockerfile);
  if (!(await isKind(context, 'directory'))) throw new InputError('context', options.context, 'a directory that exists (the Docker build context)');
  if (!(await isKind(dockerfile, 'file'))) throw new InputError('dockerfile', options.dockerfile, 'a Dockerfile that exists (absolute, or relative to the working directory)');
  if (options.platforms.length === 0) throw new InputError('platforms', '', 'at least one platform, like linux/amd64');
  const epoch = options.sourceDateEpoch;
  if (!Number.isInteger(epoch) || epoch < 0) throw new InputError('source-date-epoch', String(epoch), 'a whole number of seconds since 1970-01-01 (0 or more)');

  const tool = await chooseTool(options.tool ?? 'auto');
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'gantry-dockerfile-')));
  const layoutDir = join(workDir, 'oci-layout');
  const build: ToolBuild = {
    context,
    dockerfile,
    platforms: options.platforms,
    sourceDateEpoch: epoch,
    buildArgs: options.buildArgs ?? {},
    insecureRegistries: options.insecureRegistries ?? [],
    layoutDir,
    refName: REF_NAME,
    workDir,
    logger: options.logger,
  };
  options.logger.info(`Building ${options.dockerfile} with ${tool} (SOURCE_DATE_EPOCH=${epoch})`);
  const failure = tool === 'buildah' ? await buildWithBuildah(build) : await buildWithBuildx(build);
  if (failure) throw buildError(options.dockerfile, failure);
  if (tool === 'docker-buildx') await nameSoleManifest(layoutDir, REF_NAME);
  return { layoutDir, refName: REF_NAME, tool };
}

/**
 * `auto`: buildx when its builder is not the plain `docker` driver (whose
 * OCI export needs the containerd image store: GitHub's runners lack it
 * until docker/setup-buildx-action makes a docker-container builder), else
 * buildah when it runs, else buildx on the docker driver all the same.
 */
async function chooseTool(wanted: 'auto' | 'buildah' | 'docker'): Promise<DockerfileTool> {
  const hasBuildx = async () => (await probe('docker', ['buildx', 'version'], process.env)) !== undefined;
  const hasBuildah = async () => (await probe('buildah', ['--version'], process.env)) !== undefined;
  if (wanted === 'docker') {
    if (await hasBuildx()) return 'docker-buildx';
    throw new DockerfileBuildError('Input "dockerfile": tool docker was asked for, but `docker buildx version` does not run here');
  }
  if (wanted === 'buildah') {
    if (await hasBuildah()) return 'buildah';
    throw new DockerfileBuildError('Input "dockerfile": tool buildah was asked for, but `buildah --version` does not run here');
  }
  const inspect = (await hasBuildx()) ? await probe('docker', ['buildx', 'inspect'], process.env) : undefined;
  const driver = inspect === undefined ? undefined : (/^Driver:\s*(\S+)/m.exec(inspect)?.[1] ?? 'unknown');
  if (driver && driver !== 'docker') return 'docker-buildx';
  if (await hasBuildah()) return 'buildah';
  if (driver) return 'docker-buildx';
  throw new DockerfileBuildError('Input "dockerfile" needs docker buildx or buildah, and neither runs here (install buildah, or use docker/setup-buildx-action)');
}

function buildError(dockerfile: string, failure: ToolFailure): DockerfileBuildError {
  const exit = failure.run.code === null ? 'was killed' : `exited with ${failure.run.code}`;
  const tail = failure.run.tail.map((line) => `  ${line}`).join('\n');
  const said = (text: string) => failure.run.tail.some((line) => line.includes(text));
  const hint = said('HTTP response to HTTPS client')
    ? '\nThe base image is on a plain-HTTP registry: list it in the "insecure-registries" input.'
    : said('not supported for the docker driver')
      ? '\nThe docker driver cannot export OCI images: run docker/setup-buildx-action first (a docker-container builder), or turn on the containerd image store.'
      : '';
  return new DockerfileBuildError(`Input "dockerfile" (${dockerfile}): ${failure.step} ${exit}; its last lines:\n${tail}${hint}`);
}

/** BuildKit names the image after the exporter's `name`; if its ref name differs, the one manifest is listed under ours. */
async function nameSoleManifest(layoutDir: string, refName: string): Promise<void> {
  const layout = await OciLayout.open(layoutDir);
  if (await layout.resolve(refName)) return;
  const { manifests } = await layout.index();
  if (manifests.length !== 1) throw new DockerfileBuildError(`docker buildx wrote ${manifests.length} images to ${layoutDir}; expected one`);
  const { annotations: _ignored, ...descriptor } = manifests[0]!;
  await layout.addManifest(descriptor, refName);
}

async function isKind(path: string, kind: 'file' | 'directory'): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return kind === 'file' ? Boolean(info?.isFile()) : Boolean(info?.isDirectory());
}
