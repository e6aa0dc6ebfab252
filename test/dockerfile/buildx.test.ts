import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@gantry/action-kit';
import { buildDockerfile, DockerfileBuildError, loadImageFromLayout } from '@gantry/dockerfile';
import { OciLayout } from '@gantry/oci';
import { TempDirs } from '../image/support';
import { missingTool } from '../support/tools';
import { busyboxBase } from './support';

const temp = new TempDirs();
const amd64 = { os: 'linux', architecture: 'amd64' };
const skip = missingTool('buildah');

/**
 * The docker buildx path against a stand-in `docker` (fake-docker.sh): there is no Docker engine
 * with buildx here. The stand-in checks the arguments BuildKit would get and writes the OCI
 * layout BuildKit's exporter writes, with buildah; what is tested is the choice of tool, the
 * arguments, SOURCE_DATE_EPOCH, the ref naming and the loading.
 */
describe.skipIf(skip)('buildDockerfile with docker buildx (stand-in docker)', () => {
  const saved = { PATH: process.env.PATH, CONTAINERS_CONF: process.env.CONTAINERS_CONF, CONTAINERS_STORAGE_CONF: process.env.CONTAINERS_STORAGE_CONF };
  let log: string;
  let context: string;
  let removeBase = async () => {};

  beforeAll(async () => {
    const dir = await temp.make();
    await mkdir(join(dir, 'bin'));
    await copyFile(join(import.meta.dirname, 'fake-docker.sh'), join(dir, 'bin', 'docker'));
    await chmod(join(dir, 'bin', 'docker'), 0o755);
    log = join(dir, 'docker.log');
    // The stand-in's buildah needs the storage settings this machine needs (NOTES.md).
    await writeFile(join(dir, 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n');
    await writeFile(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`);
    Object.assign(process.env, {
      PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH}`,
      FAKE_DOCKER_LOG: log,
      CONTAINERS_CONF: join(dir, 'containers.conf'),
      CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
    });
    const base = await busyboxBase();
    removeBase = base.remove;
    context = await temp.make();
    await writeFile(join(context, 'Dockerfile'), `FROM oci:${base.layoutDir}:busybox\nARG NAME\nCOPY hello.txt /app/\nRUN ["/bin/busybox", "sh", "-c", "echo $NAME > /app/name"]\n`);
    await writeFile(join(context, 'hello.txt'), 'hi\n');
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    delete process.env.FAKE_DOCKER_LOG;
    delete process.env.FAKE_BUILDX_DRIVER;
    await removeBase();
    await temp.cleanup();
  });

  it('is chosen by auto when `docker buildx version` runs, gets reproducible settings, and its layout loads', async () => {
    const result = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: 1_700_000_000, buildArgs: { NAME: 'gantry' }, logger: silentLogger, workDir: await temp.make() });
    expect(result.tool).toBe('docker-buildx');
    const calls = (await readFile(log, 'utf8')).split('\n');
    const build = calls.find((line) => line.startsWith('buildx build'))!;
    expect(build).toContain('--provenance=false --sbom=false');
    expect(build).toContain('--build-arg SOURCE_DATE_EPOCH=1700000000 --build-arg NAME=gantry');
    expect(build).toContain(`--output type=oci,dest=${result.layoutDir},tar=false,rewrite-timestamp=true`);
    expect(calls[calls.indexOf(build) + 1]).toBe('SOURCE_DATE_EPOCH=1700000000');

    // The exporter's own name was `latest`; ours is added for the same manifest.
    const layout = await OciLayout.open(result.layoutDir);
    const ours = await layout.resolve(result.refName);
    expect(ours?.digest).toBe((await layout.resolve('latest'))?.digest);
    const image = await loadImageFromLayout(result.layoutDir, result.refName);
    expect(image.digest).toBe(ours?.digest);
    expect(image.created).toBe('2023-11-14T22:13:20Z');
  });

  it('reports a failing buildx build with the dockerfile input and its last lines', async () => {
    await writeFile(join(context, 'Broken.Dockerfile'), 'FROM oci:/nonexistent/layout:nothing\n');
    const failed = buildDockerfile({ context, dockerfile: join(context, 'Broken.Dockerfile'), platforms: [amd64], sourceDateEpoch: 1, tool: 'docker', logger: silentLogger, workDir: await temp.make() });
    await expect(failed).rejects.toThrow(DockerfileBuildError);
    await expect(failed).rejects.toThrow(/^Input "dockerfile" \(.*Broken\.Dockerfile\): docker buildx build exited with \d+; its last lines:\n.*nonexistent/s);
  });

  it('prefers buildah to the plain docker driver, which cannot export OCI, and says so when asked for docker', async () => {
    process.env.FAKE_BUILDX_DRIVER = 'docker';
    try {
      const options = { context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: 1_700_000_000, buildArgs: { NAME: 'gantry' }, logger: silentLogger };
      expect((await buildDockerfile({ ...options, workDir: await temp.make() })).tool).toBe('buildah');
      const forced = buildDockerfile({ ...options, tool: 'docker', workDir: await temp.make() });
      await expect(forced).rejects.toThrow(/not supported for the docker driver.*\nThe docker driver cannot export OCI images: run docker\/setup-buildx-action first/s);
    } finally {
      delete process.env.FAKE_BUILDX_DRIVER;
    }
  });
});
