import { afterEach, expect, test, vi } from 'vitest';
import { InputReader, maskSecret } from '@gantry/action-kit';

afterEach(() => vi.restoreAllMocks());

function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

test('a multi-line secret is masked whole and line by line, before anything else is printed', () => {
  const out = captureStdout();
  maskSecret('first-line\nsecond-line');
  expect(out.join('')).toBe('::add-mask::first-line%0Asecond-line\n::add-mask::first-line\n::add-mask::second-line\n');
});

test('InputReader.secret masks the value it returns and nothing for an empty input', () => {
  const out = captureStdout();
  const reader = new InputReader((name) => ({ token: 's3cr3t' })[name] ?? '');
  expect(reader.secret('token')).toBe('s3cr3t');
  expect(reader.secret('missing')).toBeUndefined();
  expect(out).toEqual(['::add-mask::s3cr3t\n']);
});
