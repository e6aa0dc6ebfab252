import { describe, expect, it } from 'vitest';
import { FileCommandError, parseKeyValueFile, parsePathFile } from '../../packages/runner/src/file-commands';

describe('parseKeyValueFile', () => {
  it('reads name=value lines, keeping later "=" in the value', () => {
    expect(parseKeyValueFile('a=1\nb=x=y\n\nc=\n')).toEqual({ a: '1', b: 'x=y', c: '' });
  });

  it('reads heredocs with multi-line values, as @actions/core writes them', () => {
    const text = 'multi<<ghadelimiter_1\nline one\nline two\nghadelimiter_1\nsingle=after\n';
    expect(parseKeyValueFile(text)).toEqual({ multi: 'line one\nline two', single: 'after' });
  });

  it('gives an empty value for an empty heredoc and keeps blank lines inside one', () => {
    expect(parseKeyValueFile('e<<EOF\nEOF\nb<<EOF\n\nx\n\nEOF\n')).toEqual({ e: '', b: '\nx\n' });
  });

  it('uses whichever of "=" and "<<" comes first', () => {
    expect(parseKeyValueFile('a=b<<c\n')).toEqual({ a: 'b<<c' });
    expect(parseKeyValueFile('a<<X=\nv\nX=\n')).toEqual({ a: 'v' });
  });

  it('lets a later entry for a name win', () => {
    expect(parseKeyValueFile('a=1\na<<E\n2\nE\n')).toEqual({ a: '2' });
  });

  it('accepts a final delimiter without a newline', () => {
    expect(parseKeyValueFile('a<<E\nv\nE')).toEqual({ a: 'v' });
  });

  it('rejects malformed content like the runner', () => {
    expect(() => parseKeyValueFile('novalue\n')).toThrow(FileCommandError);
    expect(() => parseKeyValueFile('=x\n')).toThrow(/Name must not be empty/);
    expect(() => parseKeyValueFile('a<<E\nnever closed\n')).toThrow(/Matching delimiter not found 'E'/);
    expect(() => parseKeyValueFile('a<<\nx\n')).toThrow(/delimiter must not be empty/);
  });
});

describe('parsePathFile', () => {
  it('returns non-empty lines in order', () => {
    expect(parsePathFile('/a\n\n/b c\n')).toEqual(['/a', '/b c']);
  });
});
