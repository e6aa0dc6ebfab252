import { describe, expect, it } from 'vitest';
import { InputError } from '@gantry/action-kit';
import { isMutable, parseBaseImage, tagsFor } from '@gantry/publish';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('tagsFor', () => {
  it('defaults to sha-<7 hex> on a branch', () => {
    expect(tagsFor({ sha: SHA, ref: 'refs/heads/main' })).toEqual({ tags: ['sha-0123456'], skipped: [] });
  });

  it('on a semver tag ref gives X.Y.Z, and X.Y / X only when mutable-tags lists them', () => {
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/v1.2.3' })).toEqual({
      tags: ['1.2.3'],
      skipped: [
        { tag: '1.2', reason: expect.stringContaining('mutable-tags') },
        { tag: '1', reason: expect.stringContaining('mutable-tags') },
      ],
    });
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/v1.2.3', mutableTags: ['+([0-9])', '+([0-9]).+([0-9])'] }).tags).toEqual(['1.2.3', '1.2', '1']);
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/1.2.3', mutableTags: ['+([0-9])'] }).tags).toEqual(['1.2.3', '1']);
  });

  it('a pre-release gets only its own tag; build metadata is dropped; a non-semver tag ref falls back to the sha', () => {
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/v2.0.0-rc.1', mutableTags: ['*'] })).toEqual({ tags: ['2.0.0-rc.1'], skipped: [] });
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/v2.0.0+build.5' }).tags).toEqual(['2.0.0']);
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/release-7' }).tags).toEqual(['sha-0123456']);
    expect(tagsFor({ ref: 'refs/heads/main' }).tags).toEqual([]);
  });

  it('explicit tags replace the defaults and are validated', () => {
    expect(tagsFor({ sha: SHA, ref: 'refs/tags/v1.0.0', tags: ['prod', 'prod', 'v1'] }).tags).toEqual(['prod', 'v1']);
    expect(() => tagsFor({ tags: ['bad tag'] })).toThrow(InputError);
    expect(() => tagsFor({ tags: ['-x'] })).toThrow(/Input "tags" has the value "-x"/);
  });
});

describe('isMutable', () => {
  it('matches glob patterns, not substrings', () => {
    expect(isMutable('latest', ['latest'])).toBe(true);
    expect(isMutable('latest-2', ['latest'])).toBe(false);
    expect(isMutable('main-abc', ['main-*'])).toBe(true);
    expect(isMutable('1', ['+([0-9])'])).toBe(true);
    expect(isMutable('1.2.3', ['+([0-9])', '+([0-9]).+([0-9])'])).toBe(false);
    expect(isMutable('anything', [])).toBe(false);
  });
});

describe('parseBaseImage', () => {
  it('reads scratch, OCI layouts (name or digest) and registry references', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseBaseImage('scratch', '/ws')).toEqual({ kind: 'scratch' });
    expect(parseBaseImage('oci:base', '/ws')).toEqual({ kind: 'layout', dir: '/ws/base', text: 'oci:base' });
    expect(parseBaseImage('oci:/abs/dir:v1', '/ws')).toEqual({ kind: 'layout', dir: '/abs/dir', selector: 'v1', text: 'oci:/abs/dir:v1' });
    expect(parseBaseImage(`oci:out/x@${digest}`, '/ws')).toMatchObject({ dir: '/ws/out/x', selector: digest });
    const registry = parseBaseImage('ghcr.io/owner/base:1', '/ws');
    expect(registry.kind === 'registry' && String(registry.reference)).toBe('ghcr.io/owner/base:1');
    expect(() => parseBaseImage('Bad/Name', '/ws')).toThrow(/Input "base-image"/);
    expect(() => parseBaseImage('oci:', '/ws')).toThrow(/Input "base-image"/);
  });
});
