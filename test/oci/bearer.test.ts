import { RegistryClient, RegistryError } from '@gantry/oci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../support/registry';
import { missingTool } from '../support/tools';
import { USER, recordingLogger, testImage } from './fixtures';
import { startTokenServer, type TokenServer } from './token-server';

const skip = missingTool('docker-registry', ['--version']) ?? missingTool('openssl', ['version']);

// The real registry with `auth: token:` trusts JWTs from a local token server
// that follows Docker's token spec: the same flow ghcr.io and Docker Hub use.
describe.skipIf(skip)('RegistryClient with the Bearer token flow', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  const logger = recordingLogger();

  beforeAll(async () => {
    tokens = await startTokenServer(USER);
    registry = await startRegistry({ tokenAuth: tokens });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
    expect(logger.lines.join('\n')).not.toContain(USER.password);
  });

  it('pushes, mounts and pulls with tokens scoped per repository, cached per scope', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: USER, logger });
    await client.ping();
    const image = testImage('bearer');
    expect(await client.pushBlob('team/app', image.config.descriptor, image.config.bytes)).toBe('uploaded');
    expect(await client.pushBlob('team/app', image.layer.descriptor, image.layer.bytes)).toBe('uploaded');
    await client.putManifest('team/app', 'v1', image.manifest.bytes, image.manifest.descriptor.mediaType);
    expect((await client.getManifest('team/app', 'v1')).descriptor).toEqual(image.manifest.descriptor);
    expect(await client.pushBlob('team/copy', image.layer.descriptor, image.layer.bytes, { mountFrom: ['team/app'] })).toBe('mounted');

    const scopes = tokens.requests.map((r) => r.scopes.join(' '));
    expect(scopes).toContain('repository:team/app:pull,push');
    expect(scopes).toContain('repository:team/app:pull');
    expect(scopes.some((s) => s.includes('repository:team/copy:pull,push') && s.includes('repository:team/app:pull'))).toBe(true);
    expect(tokens.requests.every((r) => r.authenticated && r.status === 200)).toBe(true);
    // Five blob and manifest exchanges in team/app with push scope share one token.
    expect(scopes.filter((s) => s === 'repository:team/app:pull,push').length).toBe(1);
  });

  it('shares one token request among parallel pushes that meet the same challenge', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: USER, logger });
    const blobs = ['p1', 'p2', 'p3', 'p4'].map((seed) => testImage(seed).layer);
    const before = tokens.requests.length;
    const results = await Promise.all(blobs.map((b) => client.pushBlob('team/parallel', b.descriptor, b.bytes)));
    expect(results).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded']);
    expect(tokens.requests.slice(before).map((r) => r.scopes.join(' '))).toEqual(['repository:team/parallel:pull,push']);
  });

  it('names the registry and "unauthorized" when the token service refuses the credentials', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: USER.username, password: 'bad-Token-789' }, logger });
    const error = await client.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(new RegExp(`^Registry ${registry.host.replace(/\./g, '\\.')}: ping failed: unauthorized: the token service .* refused the credentials`));
    expect((error as Error).message).not.toContain('bad-Token-789');
  });

  it('asks anonymously without credentials, and reports the registry refusing that token', async () => {
    const client = new RegistryClient({ registry: registry.host, logger });
    const error = await client.getManifest('team/app', 'v1').catch((e: unknown) => e);
    expect(tokens.requests.at(-1)).toMatchObject({ authenticated: false, status: 200, scopes: ['repository:team/app:pull'] });
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as Error).message).toContain(`${registry.host}/team/app: get manifest v1 failed: HTTP 401 unauthorized`);
  });
});
