import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, cycloneDxSbom, referrerArtifact, CYCLONEDX_MEDIA_TYPE, type BuiltImage } from '@gantry/image';
import { referrersTag, type ImageIndex } from '@gantry/oci';
import { attachReferrers, baseImageSource, publishImage, TagConflictError } from '@gantry/publish';
import { startRegistry, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { AMD64, appContext, clientFor, podmanEnv, podmanRun, pushBusyboxBase, skopeoInspect } from './support';

const skip = missingTool('docker-registry', ['--version']) ?? missingTool('skopeo');
const noPodman = skip ?? missingTool('podman');

describe.skipIf(skip)('publishImage against the real registry (htpasswd)', () => {
  let registry: TestRegistry;
  let work: string;
  let base: BuiltImage;
  const client = () => clientFor(registry.host);

  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: 'gantry', password: 'publish-secret-pw' } });
    work = await mkdtemp(join(tmpdir(), 'gantry-publish-'));
    base = await pushBusyboxBase(client(), 'base/busybox', '1.0', work);
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });

  async function build(name: string, message: string): Promise<BuiltImage> {
    const source = baseImageSource(`${registry.host}/base/busybox:1.0`, { cwd: work, tempDir: join(work, `${name}-base`), clientFor: () => ({ client: client(), credentialInputs: 'test' }) });
    return buildImage({ context: await appContext(join(work, name), message), sourceDateEpoch: 1_700_000_000, blobDir: join(work, `${name}-blobs`), entrypoint: ['/bin/sh', '/app/run.sh'], platforms: [AMD64] }, source);
  }

  it('pushes blobs, manifest and tags; base layers are mounted from the base repository, never downloaded', async () => {
    const built = await build('app-v1', 'hello from gantry');
    const result = await publishImage(built, { client: client(), repository: 'team/app', tags: ['sha-abc1234', '1.0.0'] });
    expect(result.digest).toBe(built.digest);
    expect(result.image).toBe(`${registry.host}/team/app@${built.digest}`);
    expect(result.tagResults).toEqual([
      { tag: 'sha-abc1234', status: 'created' },
      { tag: '1.0.0', status: 'created' },
    ]);
    const baseLayer = base.layers[0]!.digest;
    expect(result.layers.map((l) => [l.origin, l.status])).toEqual([
      ['base', 'mounted'],
      ['new', 'uploaded'],
    ]);
    expect(result.layers[0]!.digest).toBe(baseLayer);
    expect(result.layersUploaded).toBe(1);
    const newLayer = result.layers[1]!;
    const config = built.manifests[0]!.manifest.config;
    expect(result.bytesUploaded).toBe(newLayer.size + config.size);
    // No temp file was written for the base: it was never read.
    await expect(rm(join(work, 'app-v1-base'), { recursive: false })).rejects.toThrow();

    const inspected = await skopeoInspect(`${registry.host}/team/app:1.0.0`);
    expect(inspected.Digest).toBe(built.digest);
    expect(inspected.Layers).toEqual([baseLayer, newLayer.digest]);
    expect((await skopeoInspect(`${registry.host}/team/app@${built.digest}`)).Digest).toBe(built.digest);
  });

  it('a re-run of the same build is a no-op that succeeds: everything reused, tags unchanged, nothing uploaded', async () => {
    const built = await build('app-v1-again', 'hello from gantry');
    const result = await publishImage(built, { client: client(), repository: 'team/app', tags: ['sha-abc1234', '1.0.0'] });
    expect(result.digest).toBe((await skopeoInspect(`${registry.host}/team/app:1.0.0`)).Digest);
    expect(result.tagResults.map((t) => t.status)).toEqual(['unchanged', 'unchanged']);
    expect(result.layers.every((l) => l.status === 'reused')).toBe(true);
    expect(result).toMatchObject({ bytesUploaded: 0, layersUploaded: 0, manifestsUploaded: 0 });
  });

  it('changed content under an existing tag is refused: no tag moves, the new image is reachable by digest', async () => {
    const before = (await skopeoInspect(`${registry.host}/team/app:1.0.0`)).Digest;
    const built = await build('app-v2', 'changed');
    expect(built.digest).not.toBe(before);
    const failure = await publishImage(built, { client: client(), repository: 'team/app', tags: ['fresh', '1.0.0'] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TagConflictError);
    const conflict = failure as TagConflictError;
    expect(conflict.message).toContain(`"1.0.0" (points at ${before})`);
    expect(conflict.message).toContain('mutable-tags');
    expect(conflict.conflicts).toEqual([{ tag: '1.0.0', current: before }]);
    expect(conflict.image).toBe(`${registry.host}/team/app@${built.digest}`);
    expect((await skopeoInspect(`${registry.host}/team/app:1.0.0`)).Digest).toBe(before);
    expect(await client().listTags('team/app')).not.toContain('fresh');
    expect((await skopeoInspect(`${registry.host}/team/app@${built.digest}`)).Digest).toBe(built.digest);
  });

  it('a tag matching mutable-tags moves; immutable ones on the same image stay', async () => {
    const first = await build('app-m1', 'one');
    await publishImage(first, { client: client(), repository: 'team/app', tags: ['latest'], mutableTags: ['latest', 'main-*'] });
    const second = await build('app-m2', 'two');
    const result = await publishImage(second, { client: client(), repository: 'team/app', tags: ['latest', 'sha-2222222'], mutableTags: ['latest'] });
    expect(result.tagResults).toEqual([
      { tag: 'latest', status: 'moved', previous: first.digest },
      { tag: 'sha-2222222', status: 'created' },
    ]);
    expect((await skopeoInspect(`${registry.host}/team/app:latest`)).Digest).toBe(second.digest);
  });

  it('attaches an SBOM through the referrers tag schema (the registry has no Referrers API), merged with what the tag lists', async () => {
    const built = await build('app-v1-sbom', 'hello from gantry');
    const created = built.created;
    const subject = { name: `${registry.host}/team/app`, digest: built.digest };
    const sbom = referrerArtifact(built.descriptor, CYCLONEDX_MEDIA_TYPE, cycloneDxSbom([], { created, subject }), { created, title: 'sbom.cdx.json' });
    const other = referrerArtifact(built.descriptor, 'application/vnd.example+json', { note: 'another tool' }, { created, title: 'note.json' });
    expect(await attachReferrers(client(), 'team/app', built.digest, [other])).toMatchObject({ mode: 'tag-schema', tag: referrersTag(built.digest) });
    const result = await attachReferrers(client(), 'team/app', built.digest, [sbom]);
    expect(result.mode).toBe('tag-schema');
    const index = (await skopeoInspect(`${registry.host}/team/app:${referrersTag(built.digest)}`, true)) as unknown as ImageIndex;
    expect(index.manifests.map((d) => [d.digest, d.artifactType])).toEqual([
      [other.descriptor.digest, 'application/vnd.example+json'],
      [sbom.descriptor.digest, CYCLONEDX_MEDIA_TYPE],
    ]);
    const pulled = await client().getManifest('team/app', sbom.descriptor.digest);
    expect(pulled.json.subject?.digest).toBe(built.digest);
    // The image itself is untouched by its attestations.
    expect((await skopeoInspect(`${registry.host}/team/app@${built.digest}`)).Digest).toBe(built.digest);
  });

  it.skipIf(noPodman)('podman pulls the pushed image by digest and runs it', async () => {
    const env = await podmanEnv(join(work, 'podman'));
    const built = await build('app-v1-run', 'hello from gantry');
    const { image } = await publishImage(built, { client: client(), repository: 'team/app', tags: [] });
    expect(await podmanRun(env, image, [])).toBe('hello from gantry\n');
    expect(await podmanRun(env, image, ['echo', 'ok'], '/bin/busybox')).toBe('ok\n');
  }, 240_000);

  it('an unknown base image names the input', async () => {
    await writeFile(join(work, 'x'), '');
    const source = baseImageSource(`${registry.host}/base/missing:1`, { cwd: work, tempDir: work, clientFor: () => ({ client: client(), credentialInputs: 'test' }) });
    await expect(source.resolve([AMD64])).rejects.toThrow(/base image .*base\/missing:1 was not found on .*\(input "base-image"\)/);
  });
});
