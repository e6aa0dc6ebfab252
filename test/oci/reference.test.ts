import { InputError } from '@gantry/action-kit';
import { manifestTarget, parseChallenge, parseReference } from '@gantry/oci';
import { describe, expect, it } from 'vitest';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['alpine', 'docker.io', 'library/alpine', undefined, undefined],
    ['alpine:3.20', 'docker.io', 'library/alpine', '3.20', undefined],
    ['owner/app', 'docker.io', 'owner/app', undefined, undefined],
    ['index.docker.io/owner/app:v1', 'docker.io', 'owner/app', 'v1', undefined],
    ['ghcr.io/Owner-x/app'.toLowerCase(), 'ghcr.io', 'owner-x/app', undefined, undefined],
    ['ghcr.io/owner/app:sha-abc1234', 'ghcr.io', 'owner/app', 'sha-abc1234', undefined],
    [`ghcr.io/owner/app@${DIGEST}`, 'ghcr.io', 'owner/app', undefined, DIGEST],
    [`ghcr.io/owner/app:v1@${DIGEST}`, 'ghcr.io', 'owner/app', 'v1', DIGEST],
    ['localhost/app', 'localhost', 'app', undefined, undefined],
    ['localhost:5000/team/app:1.0', 'localhost:5000', 'team/app', '1.0', undefined],
    ['127.0.0.1:5000/a/b/c:x', '127.0.0.1:5000', 'a/b/c', 'x', undefined],
    ['[::1]:5000/app', '[::1]:5000', 'app', undefined, undefined],
    ['registry.example.com/app__x/y-z.w', 'registry.example.com', 'app__x/y-z.w', undefined, undefined],
  ])('%s', (text, registry, repository, tag, digest) => {
    const ref = parseReference(text);
    expect({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }).toEqual({ registry, repository, tag, digest });
  });

  it('prints the canonical form and picks what to ask a registry for', () => {
    expect(String(parseReference('alpine'))).toBe('docker.io/library/alpine');
    expect(parseReference(`localhost:5000/app:v1@${DIGEST}`).toString()).toBe(`localhost:5000/app:v1@${DIGEST}`);
    expect(manifestTarget(parseReference('alpine'))).toBe('latest');
    expect(manifestTarget(parseReference('alpine:3'))).toBe('3');
    expect(manifestTarget(parseReference(`alpine:3@${DIGEST}`))).toBe(DIGEST);
  });

  it.each([
    ['', 'empty'],
    ['ghcr.io/Owner/app', 'lowercase'],
    ['app:bad tag', 'tag'],
    ['app:-x', 'tag'],
    ['app@sha256:1234', 'digest'],
    ['ghcr.io/owner//app', 'path component'],
    ['ghcr.io/', 'empty'],
    ['bad_host:99/app', 'registry'],
  ])('refuses %j with an InputError naming the input and value', (text, why) => {
    let error: unknown;
    try {
      parseReference(text, 'base-image');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain('"base-image"');
    expect(message).toContain(JSON.stringify(text));
    expect(message.toLowerCase()).toContain(why);
  });
});

describe('parseChallenge', () => {
  it('reads Bearer parameters with quoted commas', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:o/a:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge(null)).toBeUndefined();
  });
});
