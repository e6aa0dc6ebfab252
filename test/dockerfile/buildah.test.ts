import { execFile } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { InputError, silentLogger, type Logger } from '@gantry/action-kit';
import { buildDockerfile, DockerfileBuildError, LayoutImageError, loadImageFromLayout } from '@gantry/dockerfile';
import { OciLayout } from '@gantry/oci';
import { TempDirs, writeTree } from '../image/support';
import { startRegistry, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { busyboxBase, fileDigest } from './support';

const run = promisify(execFile);
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const EPOCH = 1_700_000_000;
const amd64 = { os: 'linux', architecture: 'amd64' };
const skip = missingTool('buildah');

/** A context with a Dockerfile FROM the busybox layout, a COPY and a RUN; file mtimes set to `mtime`. */
async function appContext(baseLayout: string, mtime: number, extra = ''): Promise<string> {
  const context = await temp.make('gantry-dockerfile-ctx-');
  await writeTree(context, {
    Dockerfile: `FROM oci:${baseLayout}:busybox\nARG GREETING=hi\nCOPY app/ /app/\nRUN ["/bin/busybox", "sh", "-c", "echo $GREETING > /app/greeting"]\n${extra}`,
    'app/hello.txt': 'hello\n',
    'app/lib/data.json': '{"a":1}\n',
  });
  for (const path of ['Dockerfile', 'app/hello.txt', 'app/lib/data.json']) await utimes(join(context, path), mtime, mtime);
  return context;
}

/** Names and mtimes of a gzip tar layer. */
async function layerEntries(path: string): Promise<Array<{ name: string; mtime: number }>> {
  const extract = tar.extract();
  const entries: Array<{ name: string; mtime: number }> = [];
  const done = (async () => {
    for await (const entry of extract) {
      entries.push({ name: entry.header.name, mtime: entry.header.mtime.getTime() / 1000 });
      entry.resume();
    }
  })();
  extract.end(gunzipSync(await readFile(path)));
  await done;
  return entries;
}

describe.skipIf(skip)('buildDockerfile with buildah', () => {
  let baseLayout: string;
  let removeBase = async () => {};
  const lines: string[] = [];
  const logger: Logger = { ...silentLogger, info: (line) => lines.push(line) };

  beforeAll(async () => {
    const base = await busyboxBase();
    baseLayout = base.layoutDir;
    removeBase = base.remove;
  });
  afterAll(() => removeBase());

  it('gives the same digest for the same source at different times in different directories', async () => {
    const build = async (mtime: number) => {
      const context = await appContext(baseLayout, mtime);
      const result = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, tool: 'buildah', logger, workDir: await temp.make() });
      return { result, image: await loadImageFromLayout(result.layoutDir, result.refName) };
    };
    const a = await build(1_000);
    await new Promise((r) => setTimeout(r, 1_100));
    const b = await build(2_000_000);
    expect(a.result.tool).toBe('buildah');
    expect(lines.some((line) => line.includes('COPY app/ /app/'))).toBe(true);
    expect(a.result.layoutDir).not.toBe(b.result.layoutDir);
    expect(b.image.digest).toBe(a.image.digest);

    // The layout's own index names the digest the BuiltImage reports, and every blob is there as its digest says.
    const listed = await (await OciLayout.open(a.result.layoutDir)).resolve(a.result.refName);
    expect(listed?.digest).toBe(a.image.digest);
    for (const [digest, entry] of a.image.blobs) {
      expect(entry.origin).toBe('new');
      expect(await fileDigest((entry.content as { path: string }).path)).toBe(digest);
    }
    expect(a.image.manifests).toHaveLength(1);
    expect(a.image.platforms).toEqual([amd64]);
    expect(a.image.created).toBe('2023-11-14T22:13:20Z');
    expect(a.image.layers.map((l) => l.digest)).toEqual(a.image.manifests[0]!.manifest.layers.map((l) => l.digest));
    expect(a.image.layers.map((l) => l.diffId)).toEqual(a.image.manifests[0]!.config.rootfs.diff_ids);

    // The build's own layer: COPY and RUN together, every file at SOURCE_DATE_EPOCH.
    const top = a.image.layers.at(-1)!;
    const entries = await layerEntries((a.image.blobs.get(top.digest)!.content as { path: string }).path);
    expect(entries.map((e) => e.name).filter((n) => !n.endsWith('/'))).toEqual(expect.arrayContaining(['app/hello.txt', 'app/lib/data.json', 'app/greeting']));
    expect(new Set(entries.map((e) => e.mtime))).toEqual(new Set([EPOCH]));
  });

  it('changes the digest with the epoch or a build argument, and reports the base from the annotations', async () => {
    const context = await appContext(baseLayout, 1_000);
    const digestOf = async (sourceDateEpoch: number, buildArgs?: Record<string, string>) => {
      const result = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch, buildArgs, tool: 'buildah', logger: silentLogger, workDir: await temp.make() });
      return loadImageFromLayout(result.layoutDir, result.refName);
    };
    const base = await digestOf(EPOCH);
    const later = await digestOf(EPOCH + 1);
    const greeted = await digestOf(EPOCH, { GREETING: 'hello' });
    expect(new Set([base.digest, later.digest, greeted.digest]).size).toBe(3);
    expect(later.created).toBe('2023-11-14T22:13:21Z');
    expect(base.baseDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('builds an index for several platforms, reproducibly', async () => {
    const arm64 = { os: 'linux', architecture: 'arm64' };
    const { layoutDir, remove } = await busyboxBase([amd64, arm64]);
    onTestFinished(remove);
    const context = await temp.make('gantry-dockerfile-ctx-');
    await writeFile(join(context, 'Dockerfile'), `FROM oci:${layoutDir}:busybox\nCOPY hello.txt /app/\n`);
    await writeFile(join(context, 'hello.txt'), 'hi\n');
    const result = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64, arm64], sourceDateEpoch: EPOCH, tool: 'buildah', logger: silentLogger, workDir: await temp.make() });
    const image = await loadImageFromLayout(result.layoutDir, result.refName);
    expect(image.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(image.platforms.map((p) => p.architecture)).toEqual(['amd64', 'arm64']);
    expect(image.manifests.every((m) => image.blobs.has(m.manifest.config.digest))).toBe(true);
    const again = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64, arm64], sourceDateEpoch: EPOCH, tool: 'buildah', logger: silentLogger, workDir: await temp.make() });
    expect((await loadImageFromLayout(again.layoutDir, again.refName)).digest).toBe(image.digest);
  });

  it('fails with one error naming the dockerfile input and the tool’s last lines', async () => {
    const context = await appContext(baseLayout, 1_000, 'RUN ["/bin/busybox", "sh", "-c", "echo gantry-broke-here >&2; exit 3"]\n');
    const error = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, tool: 'buildah', logger: silentLogger, workDir: await temp.make() }).then(
      () => new Error('the build succeeded'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(DockerfileBuildError);
    expect(error.message).toMatch(/^Input "dockerfile" \(.*Dockerfile\): buildah build exited with \d+; its last lines:/);
    expect(error.message).toContain('gantry-broke-here');
  });

  it('names the input for a missing Dockerfile or context, and the ref for a missing image', async () => {
    const context = await temp.make();
    const missing = buildDockerfile({ context, dockerfile: join(context, 'nope', 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, logger: silentLogger });
    await expect(missing).rejects.toThrow(/^Input "dockerfile" has the value ".*nope\/Dockerfile": expected a Dockerfile that exists/);
    const noContext = buildDockerfile({ context: join(context, 'gone'), dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, logger: silentLogger });
    await expect(noContext).rejects.toThrow(/^Input "context"/);
    // An empty path resolves to the working directory: not a file.
    await expect(buildDockerfile({ context, dockerfile: '', platforms: [amd64], sourceDateEpoch: EPOCH, logger: silentLogger })).rejects.toThrow(InputError);
    await expect(loadImageFromLayout(baseLayout, 'nothing')).rejects.toThrow(LayoutImageError);
  });
});

describe.skipIf(skip ?? missingTool('docker-registry', ['--version']) ?? missingTool('skopeo'))('buildDockerfile FROM a plain-HTTP registry on loopback', () => {
  let registry: TestRegistry;
  let baseRef: string;
  let removeBase = async () => {};

  beforeAll(async () => {
    registry = await startRegistry();
    const base = await busyboxBase();
    removeBase = base.remove;
    await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${base.layoutDir}:busybox`, `docker://${registry.host}/base:busybox`]);
    baseRef = `${registry.host}/base@${base.digest}`;
  });
  afterAll(async () => {
    await registry?.stop();
    await removeBase();
  });

  it('pulls a base by digest from loopback over plain HTTP, as Docker does', async () => {
    const context = await temp.make('gantry-dockerfile-ctx-');
    await writeTree(context, { Dockerfile: `FROM ${baseRef}\nCOPY hello.txt /app/\n`, 'hello.txt': 'hi\n' });
    const result = await buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, tool: 'buildah', logger: silentLogger, workDir: await temp.make() });
    const image = await loadImageFromLayout(result.layoutDir, result.refName);
    expect(image.baseDigest).toBe(baseRef.split('@')[1]);
    expect(image.manifests[0]!.config.config?.Env).toEqual(['PATH=/bin']);
  });

  it('keeps TLS on when another FROM names a public registry, and says which input helps', async () => {
    const context = await temp.make('gantry-dockerfile-ctx-');
    // The second stage is never reached: buildah stops at the first pull.
    await writeTree(context, { Dockerfile: `FROM ${baseRef} AS local\nFROM docker.io/library/busybox:1.36\nCOPY --from=local /bin/busybox /bin/\n` });
    const failed = buildDockerfile({ context, dockerfile: join(context, 'Dockerfile'), platforms: [amd64], sourceDateEpoch: EPOCH, tool: 'buildah', logger: silentLogger, workDir: await temp.make() });
    await expect(failed).rejects.toThrow(/^Input "dockerfile" .*buildah build exited with \d+; its last lines:\n.*HTTP response to HTTPS client.*\nThe base image is on a plain-HTTP registry: list it in the "insecure-registries" input\.$/s);
  });
});
