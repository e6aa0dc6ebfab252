import { MEDIA_TYPES, RegistryClient, RegistryError, referrersTag, sha256Digest } from '@gantry/oci';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, startRegistry, type FaultProxy, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { USER, indexOf, recordingLogger, testImage } from './fixtures';

const skip = missingTool('docker-registry', ['--version']);

describe.skipIf(skip)('RegistryClient against the CNCF registry with htpasswd auth', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let dir: string;
  const logger = recordingLogger();
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry({ auth: USER });
    // A pass-through proxy (no rules) lets tests see what went over the wire.
    proxy = await startFaultProxy(registry.url);
    dir = await mkdtemp(join(tmpdir(), 'gantry-oci-'));
    client = new RegistryClient({ registry: proxy.host, credentials: USER, logger });
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    // The logger saw every request of this file: not one line may hold the password.
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(logger.lines.join('\n')).not.toContain(USER.password);
  });

  it('pings with Basic credentials over plain HTTP on loopback', async () => {
    await client.ping();
    expect(proxy.log.at(-1)?.headers.authorization).toMatch(/^Basic /);
  });

  it('refuses wrong credentials with a RegistryError naming the registry, with no password in it', async () => {
    const wrong = new RegistryClient({ registry: registry.host, credentials: { username: USER.username, password: 'wrong-Pa55-456' } });
    const error = await wrong.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as RegistryError).message;
    expect(message).toContain(registry.host);
    expect(message).toContain('unauthorized');
    expect(message).not.toContain('wrong-Pa55-456');
    expect((error as RegistryError).status).toBe(401);
    const anonymous = await new RegistryClient({ registry: registry.host }).hasBlob('app', sha256Digest('x')).catch((e: unknown) => e);
    expect((anonymous as Error).message).toMatch(/unauthorized.*none were given/);
  });

  it('pushes a blob monolithically, then finds it, reads it back verified, and skips it next time', async () => {
    const { layer } = testImage('mono');
    expect(await client.hasBlob('mono/app', layer.descriptor.digest)).toBe(false);
    expect(await client.pushBlob('mono/app', layer.descriptor, layer.bytes)).toBe('uploaded');
    const put = proxy.log.filter((e) => e.method === 'PUT' && e.path.includes('/blobs/uploads/'));
    expect(put.at(-1)?.headers['content-length']).toBe(String(layer.bytes.length));
    expect(await client.hasBlob('mono/app', layer.descriptor.digest)).toBe(true);
    expect(await client.getBlob('mono/app', layer.descriptor.digest)).toEqual(layer.bytes);
    expect(await client.pushBlob('mono/app', layer.descriptor, layer.bytes)).toBe('exists');
  });

  it('pushes a file in PATCH chunks with Content-Range and streams a blob to a file', async () => {
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const path = join(dir, 'big.bin');
    await writeFile(path, bytes);
    const descriptor = { mediaType: MEDIA_TYPES.ociLayer, digest: sha256Digest(bytes), size: bytes.length };
    const before = proxy.log.length;
    expect(await client.pushBlob('chunked/app', descriptor, { path }, { chunkSize: 128 * 1024 })).toBe('uploaded');
    const patches = proxy.log.slice(before).filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => e.headers['content-range'])).toEqual(['0-131071', '131072-262143', '262144-299999']);
    const out = join(dir, 'out', 'big.bin');
    await client.copyBlobToFile('chunked/app', descriptor.digest, out);
    expect(await readFile(out)).toEqual(bytes);
    // A whole-file monolithic push streams the file too.
    expect(await client.pushBlob('stream/app', descriptor, { path })).toBe('uploaded');
    expect(await client.hasBlob('stream/app', descriptor.digest)).toBe(true);
  });

  it('refuses to push bytes that do not match their descriptor', async () => {
    const { layer } = testImage('liar');
    const error = await client.pushBlob('mono/app', layer.descriptor, Buffer.from('other')).catch((e: unknown) => e);
    expect((error as Error).name).toBe('DigestMismatchError');
  });

  it('mounts a blob from another repository, and uploads when the source lacks it', async () => {
    const { config } = testImage('mount');
    await client.pushBlob('mount/source', config.descriptor, config.bytes);
    expect(await client.pushBlob('mount/target', config.descriptor, config.bytes, { mountFrom: ['mount/source'] })).toBe('mounted');
    expect(proxy.log.some((e) => e.method === 'POST' && e.path.includes(`mount=${encodeURIComponent(config.descriptor.digest)}`) && e.status === 201)).toBe(true);
    expect(await client.hasBlob('mount/target', config.descriptor.digest)).toBe(true);
    const other = testImage('mount-miss').config;
    expect(await client.pushBlob('mount/target', other.descriptor, other.bytes, { mountFrom: ['mount/empty', 'mount/source'] })).toBe('uploaded');
    expect(await client.getBlob('mount/target', other.descriptor.digest)).toEqual(other.bytes);
  });

  it.each([false, true])('puts and gets a manifest by tag and by digest (docker media types: %s)', async (docker) => {
    const repo = docker ? 'manifests/docker' : 'manifests/oci';
    const image = testImage(`manifest-${docker}`, docker);
    await client.pushBlob(repo, image.config.descriptor, image.config.bytes);
    await client.pushBlob(repo, image.layer.descriptor, image.layer.bytes);
    const digest = await client.putManifest(repo, image.manifest.descriptor.digest, image.manifest.bytes, image.manifest.descriptor.mediaType);
    expect(digest).toBe(image.manifest.descriptor.digest);
    expect(await client.putManifest(repo, 'v1', image.manifest.bytes, image.manifest.descriptor.mediaType)).toBe(digest);
    for (const reference of ['v1', digest]) {
      const pulled = await client.getManifest(repo, reference);
      expect(pulled.descriptor).toEqual(image.manifest.descriptor);
      expect(pulled.bytes).toEqual(image.manifest.bytes);
      expect(pulled.json).toEqual(image.manifest.json);
      expect(await client.headManifest(repo, reference)).toEqual(image.manifest.descriptor);
    }
    expect(await client.headManifest(repo, 'missing')).toBeUndefined();
    const missing = await client.getManifest(repo, 'missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RegistryError);
    expect((missing as RegistryError).message).toMatch(new RegExp(`${registryName()}/${repo}: get manifest missing failed: HTTP 404 not found — manifest unknown$`));
    expect((missing as RegistryError).code).toBe('MANIFEST_UNKNOWN');
  });

  it('puts and gets an image index, lists tags, and reports no Referrers API', async () => {
    const repo = 'multi/app';
    const images = [testImage('amd64'), testImage('arm64')];
    for (const image of images) {
      await client.pushBlob(repo, image.config.descriptor, image.config.bytes);
      await client.pushBlob(repo, image.layer.descriptor, image.layer.bytes);
      await client.putManifest(repo, image.manifest.descriptor.digest, image.manifest.bytes, MEDIA_TYPES.ociManifest);
    }
    const index = indexOf(images.map((i) => i.manifest.descriptor));
    expect(await client.putManifest(repo, 'multi', index.bytes, MEDIA_TYPES.ociIndex)).toBe(index.digest);
    const pulled = await client.getManifest(repo, index.digest);
    expect(pulled.descriptor).toEqual({ mediaType: MEDIA_TYPES.ociIndex, digest: index.digest, size: index.bytes.length });
    expect(pulled.json).toEqual(index.json);
    expect((await client.getManifest(repo, 'multi')).descriptor.digest).toBe(index.digest);
    expect(await client.headManifest(repo, 'multi')).toEqual(pulled.descriptor);
    expect((await client.listTags(repo)).sort()).toEqual(['multi']);
    expect(await client.listTags('never/pushed')).toEqual([]);
    // distribution 2.8 predates OCI 1.1: the caller falls back to the tag schema.
    expect(await client.referrers(repo, index.digest)).toBeUndefined();
    expect(referrersTag(index.digest)).toBe(`sha256-${index.digest.slice(7)}`);
  });

  it('reads a Referrers API answer and filters by artifactType when the registry did not', async () => {
    // distribution 2.8 has no Referrers API: the proxy answers as an OCI 1.1 registry would.
    const subject = sha256Digest('subject');
    const sbom = { mediaType: MEDIA_TYPES.ociManifest, digest: sha256Digest('sbom'), size: 10, artifactType: 'application/vnd.cyclonedx+json' };
    const provenance = { mediaType: MEDIA_TYPES.ociManifest, digest: sha256Digest('prov'), size: 11, artifactType: 'application/vnd.in-toto+json' };
    const body = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sbom, provenance] });
    proxy.add({ method: 'GET', path: /\/referrers\//, times: 2, fault: { status: 200, headers: { 'content-type': MEDIA_TYPES.ociIndex }, body } });
    expect(await client.referrers('ref/app', subject)).toEqual([sbom, provenance]);
    expect(await client.referrers('ref/app', subject, sbom.artifactType)).toEqual([sbom]);
    expect(proxy.log.at(-1)?.path).toBe(`/v2/ref/app/referrers/${subject}?artifactType=${encodeURIComponent(sbom.artifactType)}`);
  });

  it('follows a blob redirect to another origin without sending it the credentials', async () => {
    const { layer } = testImage('cdn');
    await client.pushBlob('cdn/app', layer.descriptor, layer.bytes);
    const seen: Array<string | undefined> = [];
    // A stand-in for a registry's CDN: serves the blob at a signed-looking URL, challenges anyone.
    const cdn = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/blob?sig=1') res.end(layer.bytes);
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="cdn"' }).end();
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
    try {
      proxy.add({ method: 'GET', path: /\/cdn\/app\/blobs\//, times: 2, fault: { status: 307, headers: { location: `${cdnUrl}/blob?sig=1` }, body: '' } });
      expect(await client.getBlob('cdn/app', layer.descriptor.digest)).toEqual(layer.bytes);
      await client.copyBlobToFile('cdn/app', layer.descriptor.digest, join(dir, 'cdn.bin'));
      expect(await readFile(join(dir, 'cdn.bin'))).toEqual(layer.bytes);
      proxy.add({ method: 'GET', path: /\/cdn\/app\/blobs\//, fault: { status: 307, headers: { location: `${cdnUrl}/private` }, body: '' } });
      await expect(client.getBlob('cdn/app', layer.descriptor.digest)).rejects.toMatchObject({ status: 401 });
      expect(seen).toEqual([undefined, undefined, undefined]);
    } finally {
      proxy.clear();
      cdn.closeAllConnections();
      await new Promise((resolve) => cdn.close(resolve));
    }
  });

  function registryName(): string {
    return proxy.host.replace(/\./g, '\\.');
  }
});
