import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { runAction, type ActionRun } from '@gantry/runner';
import type { PackageReport } from '@gantry/publish';
import { startFaultProxy, startRegistry, type FaultProxy, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { buildImage, scratch, writeToLayout } from '@gantry/image';
import { OciLayout } from '@gantry/oci';
import { busyboxContext, clientFor, podmanEnv, podmanRun, pushBusyboxBase, skopeoInspect, USER } from '../publish/support';
import { TempDirs, writeFiles } from './fixtures';

const action = join(import.meta.dirname, '..', '..', 'actions', 'package-immutable-image');
const skip = missingTool('docker-registry', ['--version']) ?? missingTool('skopeo') ?? missingTool('git');
const noPodman = skip ?? missingTool('podman');
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** A git workspace with an app directory and lockfile, committed at a fixed time. */
function workspace(message = 'hello from gantry'): string {
  const dir = temp.make('gantry-pii-ws-');
  writeFiles(dir, {
    'app/run.sh': '#!/bin/sh\ncat /app/message.txt\n',
    'app/message.txt': `${message}\n`,
    'app/package.json': JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }),
    'app/package-lock.json': JSON.stringify({
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', license: 'WTFPL' } },
    }),
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_DATE: '1700000000 +0000', GIT_COMMITTER_DATE: '1700000000 +0000' } });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
  return dir;
}

function packageAction(ws: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({ action, workspace: ws, inputs, env, node: 'auto', timeoutMs: 180_000, runnerTemp: temp.make('gantry-pii-temp-') });
}

const report = (run: ActionRun): PackageReport => JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as PackageReport;
const errorLine = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');

describe.skipIf(skip)('package-immutable-image (dist bundle through the runner harness)', () => {
  let registry: TestRegistry;
  let other: TestRegistry;
  let proxy: FaultProxy;
  let baseDigest: string;
  const creds = () => ({ 'registry-username': USER.username, 'registry-password': USER.password });
  const app = () => ({ context: 'app', 'base-image': `${registry.host}/base/busybox:1.0`, image: `${registry.host}/team/app`, entrypoint: '["/bin/sh", "/app/run.sh"]', ...creds() });

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    other = await startRegistry({ auth: { username: 'other', password: 'other-registry-pw' } });
    proxy = await startFaultProxy(registry.url);
    const work = temp.make('gantry-pii-base-');
    baseDigest = (await pushBusyboxBase(clientFor(registry.host), 'base/busybox', '1.0', work)).digest;
    await pushBusyboxBase(clientFor(other.host, { username: 'other', password: 'other-registry-pw' }), 'mirror/busybox', '1.0', temp.make('gantry-pii-base2-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await other?.stop();
  });

  const ws = workspace();
  let first: ActionRun;

  test('pushes the image by digest with the default sha tag; base mounted, summary, SBOM and provenance as referrers', async () => {
    first = await packageAction(ws, app());
    expect(first.exitCode, first.stdout).toBe(0);
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws, encoding: 'utf8' }).trim();
    const { digest, image } = first.outputs;
    expect(image).toBe(`${registry.host}/team/app@${digest}`);
    expect(first.outputs.tags).toBe(`${registry.host}/team/app:sha-${sha.slice(0, 7)}`);
    expect(first.outputs['base-digest']).toBe(baseDigest);
    // layers: dependencies (the default) puts the lockfile in its own layer before the app.
    expect(first.outputs['layers-uploaded']).toBe('2');
    expect(Number(first.outputs['bytes-uploaded'])).toBeGreaterThan(0);
    const r = report(first);
    expect(r.layers.map((l) => [l.origin, l.status])).toEqual([
      ['base', 'mounted'],
      ['new', 'uploaded'],
      ['new', 'uploaded'],
    ]);
    expect(r.sourceDateEpoch).toBe(1_700_000_000);
    expect(r.referrers?.mode).toBe('tag-schema');
    expect(r.referrers?.artifacts.map((a) => a.artifactType)).toEqual(['application/vnd.cyclonedx+json', 'application/vnd.in-toto+json']);
    const sbom = JSON.parse(readFileSync(r.documents.sbom!, 'utf8')) as { components: Array<{ purl: string }> };
    expect(sbom.components.map((c) => c.purl)).toEqual(['pkg:npm/left-pad@1.3.0']);
    expect(first.summary).toContain('Deploy this reference:');
    expect(first.summary).toContain(image);
    expect(first.summary).toMatch(/\| <code>sha256:[0-9a-f]{12}<\/code> \| base \| .* \| mounted \|/);
    expect(first.summary).toContain('**unsigned** (local run');
    expect(first.warnings).toEqual([]);
    expect(first.masks).toContain(USER.password);
    for (const text of [first.stdout, first.summary, readFileSync(first.outputs.report!, 'utf8'), readFileSync(r.documents.provenance!, 'utf8')]) expect(text).not.toContain(USER.password);
    expect(Number(first.outputs.size)).toBe(r.size);
    expect(r.size).toBeGreaterThan(r.layers.reduce((sum, l) => sum + l.size, 0));
    const inspected = await skopeoInspect(`${registry.host}/team/app:sha-${sha.slice(0, 7)}`);
    expect(inspected.Digest).toBe(digest);
    expect((inspected.Labels as Record<string, string>)['org.opencontainers.image.revision']).toBe(sha);
    expect((inspected.Labels as Record<string, string>)['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20Z');
  });

  test.skipIf(noPodman)('podman runs the pushed image by digest', async () => {
    const env = await podmanEnv(temp.make('gantry-pii-podman-'));
    expect(await podmanRun(env, first.outputs.image!, [])).toBe('hello from gantry\n');
    expect(await podmanRun(env, first.outputs.image!, ['echo', 'ok'], '/bin/busybox')).toBe('ok\n');
  }, 240_000);

  test('a re-run is a no-op that succeeds: same digest, nothing uploaded, tag unchanged', async () => {
    const again = await packageAction(ws, app());
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.outputs['bytes-uploaded']).toBe('0');
    expect(again.outputs['layers-uploaded']).toBe('0');
    expect(report(again).tags.map((t) => t.status)).toEqual(['unchanged']);
    expect(again.summary).toContain('already here (no-op)');
  });

  test('changed content under an immutable tag is refused: tag kept, new image reachable by digest', async () => {
    const one = await packageAction(ws, { ...app(), tags: 'v1' });
    expect(one.exitCode).toBe(0);
    writeFiles(ws, { 'app/message.txt': 'changed\n' });
    const two = await packageAction(ws, { ...app(), tags: 'v1' });
    expect(two.exitCode).toBe(1);
    expect(errorLine(two)).toContain(`"v1" (points at ${one.outputs.digest})`);
    expect(errorLine(two)).toContain('mutable-tags');
    expect(two.outputs.digest).not.toBe(one.outputs.digest);
    expect(two.outputs.image).toBe(`${registry.host}/team/app@${two.outputs.digest}`);
    expect(two.summary).toContain('tag refused');
    expect((await skopeoInspect(`${registry.host}/team/app:v1`)).Digest).toBe(one.outputs.digest);
    expect((await skopeoInspect(two.outputs.image!)).Digest).toBe(two.outputs.digest);

    const moved = await packageAction(ws, { ...app(), tags: 'v1', 'mutable-tags': 'v*' });
    expect(moved.exitCode, moved.stdout).toBe(0);
    expect(report(moved).tags).toEqual([{ tag: 'v1', status: 'moved', previous: one.outputs.digest }]);
    expect((await skopeoInspect(`${registry.host}/team/app:v1`)).Digest).toBe(two.outputs.digest);
    writeFiles(ws, { 'app/message.txt': 'hello from gantry\n' });
  });

  test('semver tags on a tag ref: X.Y.Z always, X.Y and X only when mutable', async () => {
    const env = { GITHUB_REF: 'refs/tags/v2.3.4' };
    const strict = await packageAction(ws, app(), env);
    expect(strict.exitCode, strict.stdout).toBe(0);
    expect(report(strict).tags.map((t) => t.tag)).toEqual(['2.3.4']);
    expect(strict.stdout).toContain('Tag 2.3 not published');
    const moving = await packageAction(ws, { ...app(), 'mutable-tags': '+([0-9]), +([0-9]).+([0-9])' }, env);
    expect(moving.exitCode, moving.stdout).toBe(0);
    expect(report(moving).tags.map((t) => [t.tag, t.status])).toEqual([['2.3.4', 'unchanged'], ['2.3', 'created'], ['2', 'created']]);
  });

  test('a base on another registry with its own credentials: its layers are streamed across', async () => {
    const run = await packageAction(ws, { ...app(), 'base-image': `${other.host}/mirror/busybox:1.0`, image: `${registry.host}/team/cross`, 'base-registry-username': 'other', 'base-registry-password': 'other-registry-pw', sbom: 'false', provenance: 'false' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(report(run).layers.map((l) => [l.origin, l.status])).toEqual([
      ['base', 'uploaded'],
      ['new', 'uploaded'],
      ['new', 'uploaded'],
    ]);
    expect(run.stdout).not.toContain('other-registry-pw');
    expect((await skopeoInspect(run.outputs.image!)).Digest).toBe(run.outputs.digest);
  });

  test('verify-reproducible builds twice and writes an OCI layout without pushing', async () => {
    const run = await packageAction(ws, { context: 'app', 'verify-reproducible': 'true', push: 'false', 'oci-layout': 'out/layout', tags: 'v9' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.image).toBe('');
    expect(report(run).reproducible).toBe(true);
    expect(run.stdout).toContain('Reproducible: a second build in another directory gave the same digest');
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${join(ws, 'out/layout')}:v9`], { encoding: 'utf8' })) as { Digest: string };
    expect(inspected.Digest).toBe(run.outputs.digest);

    // A layer cache serves the next build the same compressed layer: same digest, cache filled.
    const cached = { context: 'app', push: 'false', 'layer-cache': '.cache/layers' };
    const fill = await packageAction(ws, cached);
    const hit = await packageAction(ws, { ...cached, 'verify-reproducible': 'true' });
    expect([fill.exitCode, hit.exitCode]).toEqual([0, 0]);
    expect(hit.outputs.digest).toBe(run.outputs.digest);
    expect(fill.outputs.digest).toBe(run.outputs.digest);
    const newLayer = report(hit).layers.find((l) => l.origin === 'new')!;
    expect(readFileSync(join(ws, '.cache/layers/blobs/sha256', newLayer.digest.slice(7))).length).toBe(newLayer.size);
  });

  test('a registry failing mid-push (503, 429, reset) still completes', async () => {
    proxy.add({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { reset: 'before' } });
    proxy.add({ method: 'POST', path: /\/blobs\/uploads\//, fault: { status: 503 } });
    proxy.add({ method: 'PUT', path: /\/manifests\//, fault: { status: 429, headers: { 'retry-after': '0' } } });
    const run = await packageAction(ws, { ...app(), image: `${proxy.host}/team/faulty`, 'base-image': 'scratch', cmd: 'true' });
    proxy.clear();
    expect(run.exitCode, run.stdout).toBe(0);
    expect((await skopeoInspect(`${registry.host}/team/faulty@${run.outputs.digest}`)).Digest).toBe(run.outputs.digest);
  });

  test('a push that fails for good names the image input and sets no tag; the re-run uploads nothing already there', async () => {
    writeFiles(ws, { 'app/extra.txt': 'one more file\n' });
    proxy.add({ method: 'PUT', path: /\/manifests\//, times: Infinity, fault: { status: 500 } });
    const failed = await packageAction(ws, { ...app(), 'base-image': `${proxy.host}/base/busybox:1.0`, image: `${proxy.host}/team/halfway`, tags: 'h1', sbom: 'false', provenance: 'false' });
    proxy.clear();
    expect(failed.exitCode).toBe(1);
    expect(errorLine(failed)).toMatch(/pushing to .*\/team\/halfway \(input "image"\) failed: .*HTTP 500.*No tag was set; a re-run sends only what has not arrived/);
    expect(await clientFor(registry.host).listTags('team/halfway')).toEqual([]);
    const rerun = await packageAction(ws, { ...app(), 'base-image': `${proxy.host}/base/busybox:1.0`, image: `${proxy.host}/team/halfway`, tags: 'h1', sbom: 'false', provenance: 'false' });
    expect(rerun.exitCode, rerun.stdout).toBe(0);
    expect(rerun.outputs['bytes-uploaded']).toBe('0');
    // The base was mounted and the new layers uploaded by the failed run: all are there now.
    expect(report(rerun).layers.map((l) => l.status)).toEqual(['reused', 'reused', 'reused']);
    expect((await skopeoInspect(`${registry.host}/team/halfway:h1`)).Digest).toBe(rerun.outputs.digest);
    rmSync(join(ws, 'app/extra.txt'));
  });

  test.skipIf(missingTool('buildah'))('Dockerfile mode: built with buildah, pushed through the same immutable path; a re-run is a no-op', async () => {
    const dfws = workspace();
    // buildah names oci: images after the directory, which must be lowercase.
    const layout = join(tmpdir(), `gantry-pii-df-${randomBytes(6).toString('hex')}`);
    onTestFinished(() => rmSync(layout, { recursive: true, force: true }));
    const base = await buildImage({ context: await busyboxContext(temp.make('gantry-pii-df-rootfs-')), destination: '/', sourceDateEpoch: 0, blobDir: temp.make('gantry-pii-df-blobs-') }, scratch);
    await writeToLayout(base, await OciLayout.create(layout), 'busybox');
    writeFiles(dfws, { 'app/Dockerfile': `FROM oci:${layout}:busybox\nCOPY run.sh message.txt /app/\nENTRYPOINT ["/bin/sh", "/app/run.sh"]\n` });
    const inputs = { ...creds(), context: 'app', dockerfile: 'app/Dockerfile', image: `${registry.host}/team/dockerfile`, tags: 'df1', provenance: 'false' };
    const run = await packageAction(dfws, inputs);
    expect(run.exitCode, run.stdout).toBe(0);
    expect((await skopeoInspect(`${registry.host}/team/dockerfile:df1`)).Digest).toBe(run.outputs.digest);
    const again = await packageAction(dfws, inputs);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.outputs.digest).toBe(run.outputs.digest);
    expect(again.outputs['bytes-uploaded']).toBe('0');
    expect(report(again).tags).toEqual([{ tag: 'df1', status: 'unchanged' }]);
  }, 300_000);

  test('on a GitHub runner with an id-token, attest: auto tries GitHub attestations and falls back to unsigned with a warning', async () => {
    // No Sigstore or GitHub here: the OIDC token endpoint refuses, which must not fail the push.
    const env = { GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 'runtime', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token' };
    const run = await packageAction(ws, { ...app(), 'github-token': 'gh-token-value', provenance: 'false' }, env);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('signed through GitHub artifact attestations');
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings.join('\n')).toMatch(/GitHub artifact attestations: attesting the sbom failed: .*stays attached unsigned/);
    expect(report(run).signing).toBe('unsigned');
    expect(report(run).referrers?.mode).toBe('tag-schema');
    expect(run.stdout).not.toContain('gh-token-value');

    const strict = await packageAction(ws, { ...app(), attest: 'true' });
    expect(strict.exitCode).toBe(1);
    expect(errorLine(strict)).toMatch(/Input "attest" has the value "true": expected auto or false here: signing needs a GitHub runner/);
  }, 120_000);

  test.each([
    ['an invalid reference', { image: `${'127.0.0.1:1'}/Team/App` }, /Input "image" has the value .*Team\/App.*must be lowercase/],
    ['an unknown platform', { platforms: 'linux/amd64, beos/m68k' }, /Input "platforms"/],
    ['a missing context', { context: 'nope' }, /Input "context" has the value "nope": expected an existing directory/],
    ['a missing base image', { 'base-image': 'REGISTRY/base/none:1' }, /base image .*base\/none:1 was not found .*\(input "base-image"\)/],
    ['wrong credentials', { 'registry-password': 'wrong-password-123' }, /refused the credentials \(check inputs "registry-username" and "registry-password"\)/],
    ['a config input in Dockerfile mode', { dockerfile: 'app/Dockerfile' }, /Input "entrypoint" has the value .*: expected nothing when "dockerfile" is set: the Dockerfile sets the image/],
  ])('%s fails with one clear error naming the input', async (_name, overrides, pattern) => {
    const inputs: Record<string, string> = { ...app(), ...overrides };
    if (inputs['base-image']!.startsWith('REGISTRY')) inputs['base-image'] = inputs['base-image']!.replace('REGISTRY', registry.host);
    const run = await packageAction(ws, inputs);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^package-immutable-image failed: /);
    expect(errors[0]!.message).toMatch(pattern);
    expect(run.stdout).not.toContain('wrong-password-123');
    expect(run.stdout).not.toContain(USER.password);
  });
});
