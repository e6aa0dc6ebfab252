import { formatPlatform } from '@gantry/image';
import type { ToolBuild, ToolFailure } from './buildah';
import { runTool } from './exec';

/**
 * `docker buildx build` with the OCI exporter writing a layout directory.
 * Reproducible as BuildKit documents it: SOURCE_DATE_EPOCH in the
 * environment sets config and history times, `rewrite-timestamp=true` clamps
 * every file's mtime in new layers to it; no provenance or SBOM attestations,
 * which would go into the index and change its digest on every run (Gantry
 * attaches its own as referrers).
 */
export async function buildWithBuildx(build: ToolBuild): Promise<ToolFailure | undefined> {
  const env = { ...process.env, SOURCE_DATE_EPOCH: String(build.sourceDateEpoch) };
  const args = [
    'buildx', 'build',
    '--file', build.dockerfile,
    '--platform', build.platforms.map(formatPlatform).join(','),
    '--provenance=false',
    '--sbom=false',
    '--build-arg', `SOURCE_DATE_EPOCH=${build.sourceDateEpoch}`,
    ...Object.entries(build.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
    '--output', `type=oci,dest=${build.layoutDir},tar=false,rewrite-timestamp=true,name=gantry.local/dockerfile:${build.refName}`,
    build.context,
  ];
  const run = await runTool('docker', args, { env, logger: build.logger });
  return run.code === 0 ? undefined : { step: 'docker buildx build', run };
}
