import { RegistryClient, RegistryError, isLoopback, mergeScopes } from '@gantry/oci';
import { describe, expect, it } from 'vitest';
import { startRegistry } from '../support/registry';
import { missingTool } from '../support/tools';

describe('scheme selection', () => {
  it.each([
    [{ registry: 'ghcr.io' }, 'https://ghcr.io'],
    [{ registry: 'docker.io' }, 'https://registry-1.docker.io'],
    [{ registry: 'registry.example.com:5000' }, 'https://registry.example.com:5000'],
    [{ registry: 'localhost:5000' }, 'http://localhost:5000'],
    [{ registry: '127.0.0.5:8080' }, 'http://127.0.0.5:8080'],
    [{ registry: '[::1]:5000' }, 'http://[::1]:5000'],
    [{ registry: 'lan-registry:5000', insecureRegistries: ['lan-registry:5000'] }, 'http://lan-registry:5000'],
    [{ registry: 'lan-registry:5001', insecureRegistries: ['lan-registry:5000'] }, 'https://lan-registry:5001'],
    [{ registry: 'localhost:5000', plainHttp: false }, 'https://localhost:5000'],
    [{ registry: 'build.internal', plainHttp: true }, 'http://build.internal'],
  ])('%j → %s', (options, baseUrl) => {
    expect(new RegistryClient(options).baseUrl).toBe(baseUrl);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1:1', '127.255.0.9', '::1', '[::1]:5000'].every(isLoopback)).toBe(true);
    expect(['localhost.example.com', '128.0.0.1', '10.0.0.1:5000', '1270.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('merges token scopes per repository', () => {
    expect(mergeScopes(['repository:a/b:pull', 'repository:a/b:push,pull', 'repository:c:pull'])).toEqual(['repository:a/b:pull,push', 'repository:c:pull']);
  });
});

describe.skipIf(missingTool('docker-registry', ['--version']))('HTTPS forced on a plain-HTTP registry', () => {
  it('fails with a network RegistryError that names the https origin', async () => {
    const registry = await startRegistry();
    try {
      const client = new RegistryClient({ registry: registry.host, plainHttp: false, retry: { attempts: 1 } });
      const error = await client.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).code).toBe('NETWORK');
      expect((error as Error).message).toContain(`(https://${registry.host})`);
      // Without auth configured the registry answers anyone, over plain HTTP.
      await new RegistryClient({ registry: registry.host }).ping();
    } finally {
      await registry.stop();
    }
  });
});
