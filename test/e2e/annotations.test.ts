import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runAction } from '@gantry/runner';
import type { ActionRun } from '@gantry/runner';
import { TempDirs, writeFiles } from './fixtures';

const action = join(import.meta.dirname, '..', '..', 'actions', 'integrate');
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** Runs the committed dist/integrate bundle through the runner harness, under Node 24. */
function integrate(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  // No dependencies to install and nothing to cache: the subject is what the action reports.
  const all = { cache: 'false', skip: 'install', ...inputs };
  return runAction({ action, workspace, inputs: all, node: 'auto', timeoutMs: 180_000, runnerTemp: temp.make('gantry-runner-temp-') });
}

/** The first line of test/many.test.js that holds a test. */
const FIRST_TEST_LINE = 3;

/**
 * A Node project without dependencies whose node:test suite writes JUnit to
 * reports/junit.xml: `count` failing tests, one a line from FIRST_TEST_LINE on,
 * named and failing with `name(i)` and `message(i)`.
 */
function failingProject(dir: string, count: number, name = (i: number) => `fails ${i}`, message = (i: number) => `wrong ${i}`): void {
  const tests = Array.from({ length: count }, (_, i) => `test(${JSON.stringify(name(i))}, () => assert.fail(${JSON.stringify(message(i))}));`);
  writeFiles(dir, {
    'package.json': JSON.stringify({
      name: 'many-failures',
      version: '1.0.0',
      private: true,
      scripts: {
        pretest: "node -e \"require('fs').mkdirSync('reports', { recursive: true })\"",
        test: 'node --test --test-reporter=dot --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml',
      },
    }),
    'test/many.test.js': ["const assert = require('node:assert/strict');", "const { test } = require('node:test');", ...tests, ''].join('\n'),
  });
}

const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');
const isStepFailure = (message: string) => message.startsWith('integrate failed: ');

/** The rows of the summary's "More problems" table, as [level, where, message]. */
function overflowRows(summary: string): string[][] {
  const section = summary.split(/^### More problems.*$/m)[1];
  if (section === undefined) return [];
  const lines = section.split('\n').filter((line) => line.startsWith('| '));
  return lines.slice(2).map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.replace(/<\/?code>|`/g, '')));
}

describe('GitHub annotation limits', () => {
  const workspace = temp.make('gantry-e2e-25-failures-');
  failingProject(workspace, 25);

  test('25 failures: 9 test annotations plus the step failure; the other 16 in "More problems"', async () => {
    const run = await integrate(workspace, {});
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failure', 'tests-failed': '25', 'tests-passed': '0' });
    const errors = errorsOf(run);
    expect(errors).toHaveLength(10);
    const testErrors = errors.filter((a) => a.title?.startsWith('Test failed'));
    expect(testErrors.map((a) => [a.file, a.line, a.message])).toEqual(
      Array.from({ length: 9 }, (_, i) => ['test/many.test.js', FIRST_TEST_LINE + i, `wrong ${i}`]),
    );
    expect(errors.filter((a) => isStepFailure(a.message)).map((a) => a.message)).toEqual([
      'integrate failed: test step failed: `npm run test` exited with code 1',
    ]);
    expect(overflowRows(run.summary)).toEqual(
      Array.from({ length: 16 }, (_, k) => ['error', `test/many.test.js:${FIRST_TEST_LINE + 9 + k}`, `wrong ${9 + k}`]),
    );
  });

  test('annotations: false leaves only the step failure annotation, and no overflow section', async () => {
    const run = await integrate(workspace, { annotations: 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['tests-failed']).toBe('25');
    expect(run.annotations.map((a) => [a.level, isStepFailure(a.message)])).toEqual([['error', true]]);
    expect(run.summary).not.toContain('More problems');
    // The failures are still listed in the summary's own test section.
    expect(run.summary).toContain('wrong 24');
  });

  test('job-summary: false writes no summary but still sets every output', async () => {
    const run = await integrate(workspace, { 'job-summary': 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toBe('');
    expect(run.outputs).toMatchObject({ result: 'failure', toolchain: 'npm', 'cache-hit': 'false', 'tests-failed': '25', 'tests-skipped': '0' });
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(run.outputs.report!, 'utf8')).tests.totals.failed).toBe(25);
  });
});

describe('summary size', () => {
  test('3000 failures with long names and messages: the summary stays under 1 MiB and says it was cut', async () => {
    const workspace = temp.make('gantry-e2e-3000-failures-');
    const long = 'é'.repeat(100) + 'x'.repeat(200);
    failingProject(workspace, 3000, (i) => `test ${i} ${long}`, (i) => `message ${i} ${long}`);
    const started = performance.now();
    const run = await integrate(workspace, {});
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['tests-failed']).toBe('3000');
    const errors = errorsOf(run);
    // Nothing but the step's own failure besides the 9 test annotations: GitHub takes a step summary up to 1 MiB.
    expect(errors.filter((a) => !a.title?.startsWith('Test failed')).map((a) => a.message)).toEqual([
      'integrate failed: test step failed: `npm run test` exited with code 1',
    ]);
    expect(errors).toHaveLength(10);
    const bytes = Buffer.byteLength(run.summary, 'utf8');
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    // Cut, not merely small: the overflow of 2991 failures alone is well over 1 MiB.
    expect(bytes).toBeGreaterThan(1000 * 1024);
    const tail = run.summary.trimEnd().split('\n').slice(-3).join('\n');
    expect(tail).toMatch(/Summary truncated: \d+ bytes/);
  }, 60_000);
});
