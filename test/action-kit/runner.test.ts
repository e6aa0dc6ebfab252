import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { runner } from '@gantry/action-kit';
import { parseKeyValueFile } from '@gantry/runner';

// action-kit speaks the runner protocol itself (to keep @actions/core's HTTP client out of
// start-up); these tests hold it to what @actions/core 3 writes, byte for byte where no
// random delimiter is involved, and as the runner parses it where one is.

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-protocol-'));
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
    process.env[name] = join(dir, name);
    writeFileSync(process.env[name]!, '');
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function stdoutOf(fn: () => void): string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  fn();
  vi.restoreAllMocks();
  return out;
}

describe('workflow commands match @actions/core', () => {
  const message = 'line 1\nline 2 with 100% and a: colon, comma\r';
  const props = { title: 'T: a, b', file: 'src/a b.ts', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 };
  test.each([
    ['error', () => runner.error(message, props), () => core.error(message, props)],
    ['warning', () => runner.warning(message, { file: 'x.ts' }), () => core.warning(message, { file: 'x.ts' })],
    ['notice', () => runner.notice(message), () => core.notice(message)],
    ['debug', () => runner.debug(message), () => core.debug(message)],
    ['info', () => runner.info(message), () => core.info(message)],
    ['group', () => (runner.startGroup('G: 1'), runner.endGroup()), () => (core.startGroup('G: 1'), core.endGroup())],
    ['add-mask', () => runner.setSecret('p%ss\nword'), () => core.setSecret('p%ss\nword')],
    ['setFailed', () => runner.setFailed('boom'), () => core.setFailed('boom')],
  ])('%s', (_name, ours, theirs) => {
    const a = stdoutOf(ours);
    const b = stdoutOf(theirs);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(0);
  });

  test('setFailed sets exit code 1', () => {
    stdoutOf(() => runner.setFailed('x'));
    expect(process.exitCode).toBe(1);
  });
});

describe('file commands parse as the runner parses @actions/core’s', () => {
  test.each([
    ['GITHUB_OUTPUT', (n: string, v: string) => runner.setOutput(n, v), (n: string, v: string) => core.setOutput(n, v)],
    ['GITHUB_ENV', (n: string, v: string) => runner.exportVariable(n, v), (n: string, v: string) => core.exportVariable(n, v)],
    ['GITHUB_STATE', (n: string, v: string) => runner.saveState(n, v), (n: string, v: string) => core.saveState(n, v)],
  ])('%s', (variable, ours, theirs) => {
    const values: Array<[string, string]> = [['plain', 'v'], ['multi', 'a\nb\n\nc'], ['empty', ''], ['eq', 'x=y<<z']];
    for (const [n, v] of values) ours(`ours_${n}`, v);
    const oursText = readFileSync(process.env[variable]!, 'utf8');
    writeFileSync(process.env[variable]!, '');
    for (const [n, v] of values) theirs(`ours_${n}`, v);
    const theirsText = readFileSync(process.env[variable]!, 'utf8');
    expect(parseKeyValueFile(oursText)).toEqual(parseKeyValueFile(theirsText));
    expect(parseKeyValueFile(oursText)).toEqual(Object.fromEntries(values.map(([n, v]) => [`ours_${n}`, v])));
  });

  test('getState reads STATE_*, appendSummary appends with a newline', () => {
    process.env.STATE_phase = 'post';
    expect(runner.getState('phase')).toBe('post');
    runner.appendSummary('# one');
    runner.appendSummary('two\n');
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('# one\ntwo\n');
  });

  test('a missing file command variable is a clear error', () => {
    delete process.env.GITHUB_OUTPUT;
    expect(() => runner.setOutput('a', 'b')).toThrow('GITHUB_OUTPUT is not set: this does not look like a GitHub Actions step');
  });
});
