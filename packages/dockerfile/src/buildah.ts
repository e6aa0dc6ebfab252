import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { Logger } from '@gantry/action-kit';
import { formatPlatform } from '@gantry/image';
import type { Platform } from '@gantry/oci';
import { containersSetup } from './containers';
import { runTool, type ToolRun } from './exec';
import { plainHttpBases } from './from';

export interface ToolBuild {
  context: string;
  dockerfile: string;
  platforms: Platform[];
  sourceDateEpoch: number;
  buildArgs: Record<string, string>;
  insecureRegistries: string[];
  layoutDir: string;
  refName: string;
  workDir: string;
  logger: Logger;
}

/** Which step failed and how, for the caller's error. */
export interface ToolFailure {
  step: string;
  run: ToolRun;
}

/**
 * `buildah build` into a throw-away image name, then `buildah push` (one
 * platform) or `buildah manifest push --all` (several) to `oci:LAYOUT:REF`.
 * Reproducible: `--timestamp` sets the config's created time, history times
 * and every file's mtime in new layers; the identity label (buildah's
 * version) is left out; `--layers=false` gives one layer for the build's steps;
 * several platforms are built one after another so the index lists them in
 * the order asked.
 */
export async function buildWithBuildah(build: ToolBuild): Promise<ToolFailure | undefined> {
  const { env, tempStorage } = await containersSetup(build.workDir, process.env);
  const name = `localhost/gantry-dockerfile:${randomBytes(6).toString('hex')}`;
  const multi = build.platforms.length > 1;
  const plainHttp = plainHttpBases(await readFile(build.dockerfile, 'utf8'), build.insecureRegistries);
  const args = (platform: Platform) => [
    'build',
    '--file', build.dockerfile,
    '--platform', formatPlatform(platform),
    '--timestamp', String(build.sourceDateEpoch),
    '--identity-label=false',
    '--layers=false',
    '--force-rm',
    // Like BuildKit, which offers SOURCE_DATE_EPOCH to the Dockerfile as a build argument.
    '--build-arg', `SOURCE_DATE_EPOCH=${build.sourceDateEpoch}`,
    ...Object.entries(build.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
    ...(plainHttp ? ['--tls-verify=false'] : []),
    multi ? '--manifest' : '--tag', name,
    build.context,
  ];
  const tool = (step: string, toolArgs: string[], quiet = false) => runTool('buildah', toolArgs, { env, logger: build.logger, quiet }).then((run) => ({ step, run }));
  try {
    // One platform at a time, in the order asked: built together, they join the list in the order they finish, and the index digest varies.
    for (const platform of build.platforms) {
      const built = await tool('buildah build', args(platform));
      if (built.run.code !== 0) return built;
    }
    const destination = `oci:${build.layoutDir}:${build.refName}`;
    const pushed = multi ? await tool('buildah manifest push', ['manifest', 'push', '--all', name, destination]) : await tool('buildah push', ['push', name, destination]);
    if (pushed.run.code !== 0) return pushed;
    return undefined;
  } finally {
    // The build's images (and with a temporary storage, all of it) go; the layout holds the result.
    if (multi) await tool('cleanup', ['manifest', 'rm', name], true);
    await tool('cleanup', tempStorage ? ['rmi', '--all', '--force'] : ['rmi', '--force', name], true);
    if (tempStorage) await rm(tempStorage, { recursive: true, force: true });
  }
}
