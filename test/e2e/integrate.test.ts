import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runAction } from '@gantry/runner';
import type { ActionRun } from '@gantry/runner';
import { FAILING_LINE, TempDirs, lock, nodeProject, packDependency } from './fixtures';

const action = join(import.meta.dirname, '..', '..', 'actions', 'integrate');
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** Runs the committed dist/integrate bundle the way the runner does, under Node 24. */
function integrate(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  // A runner temp that outlives the run, so the `report` output can be read back.
  return runAction({ action, workspace, inputs, node: 'auto', timeoutMs: 180_000, runnerTemp: temp.make('gantry-runner-temp-') });
}

function report(run: ActionRun): { steps: Array<{ name: string; status: string; reason?: string }>; cache: { hit: string } } {
  return JSON.parse(readFileSync(run.outputs.report!, 'utf8'));
}

describe('integrate on a Node project (dist bundle through the runner harness)', () => {
  const workspace = temp.make('gantry-e2e-node-');
  nodeProject(workspace);
  const cacheDir = temp.make('gantry-e2e-cache-');
  const inputs = { 'local-cache-dir': cacheDir };
  const runs: ActionRun[] = [];

  test('first run: installs, lints, tests, reports, misses the cache and saves it', async () => {
    const run = await integrate(workspace, inputs);
    runs.push(run);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      result: 'success',
      toolchain: 'npm',
      'cache-hit': 'false',
      'tests-passed': '2',
      'tests-failed': '0',
      'tests-skipped': '1',
    });
    expect(Number(run.outputs.coverage)).toBeGreaterThan(50);
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.summary).toContain('## Gantry integrate: ✅ success');
    expect(run.summary).toMatch(/\| install \| ✅ passed \| [\d.]+ m?s \| <code>npm ci<\/code> \|/);
    expect(run.summary).toContain('local cache store');
    expect(run.stdout).toContain('::group::install: npm ci');
    const r = report(run);
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ['install', 'success'],
      ['lint', 'success'],
      ['build', 'skipped'],
      ['test', 'success'],
    ]);
    expect(r.steps[2]!.reason).toBe('package.json has no "build" script');
  });

  test('second run: exact cache hit restores node_modules and skips the install', async () => {
    rmSync(join(workspace, 'node_modules'), { recursive: true, force: true });
    const run = await integrate(workspace, inputs);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('true');
    expect(existsSync(join(workspace, 'node_modules', 'tiny-dep', 'index.js'))).toBe(true);
    expect(report(run).steps[0]).toMatchObject({ name: 'install', status: 'skipped' });
    expect(run.summary).toContain('restored from the cache for this exact lockfile and runtime');
    expect(run.outputs['tests-passed']).toBe('2');
  });

  test('a changed lockfile misses the exact key and restores the fallback: partial', async () => {
    const pkg = JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8'));
    pkg.dependencies['other-dep'] = packDependency(workspace, 'other-dep');
    writeFileSync(join(workspace, 'package.json'), JSON.stringify(pkg, null, 2));
    lock(workspace);
    const run = await integrate(workspace, inputs);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('partial');
    expect(report(run).steps[0]).toMatchObject({ name: 'install', status: 'success' });
    expect(existsSync(join(workspace, 'node_modules', 'other-dep'))).toBe(true);
  });

  test('another cache-key-suffix shares nothing: a miss', async () => {
    const run = await integrate(workspace, { ...inputs, 'cache-key-suffix': 'nightly' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('false');
  });

  test('coverage under coverage-threshold fails and says by how much', async () => {
    const run = await integrate(workspace, { ...inputs, 'coverage-threshold': '99.5' });
    expect(run.exitCode).toBe(1);
    const coverage = run.outputs.coverage!;
    expect(coverage).toMatch(/^\d+\.\d\d$/);
    expect(Number(coverage)).toBeLessThan(99.5);
    expect(run.annotations.at(-1)!.message).toBe(`integrate failed: line coverage ${coverage}% is under coverage-threshold 99.5%`);
    expect(run.outputs.result).toBe('failure');
  });

  test('cache: false neither restores nor saves', async () => {
    const run = await integrate(workspace, { ...inputs, cache: 'false' });
    expect(run.outputs['cache-hit']).toBe('false');
    expect(run.summary).toContain('cache disabled by the "cache" input');
  });
});

describe('integrate on failing tests', () => {
  const workspace = temp.make('gantry-e2e-failing-');
  nodeProject(workspace, { failing: true });

  test('fails the step, annotates the failing test at file and line, summarises', async () => {
    const run = await integrate(workspace, { cache: 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failure', 'tests-failed': '1', 'tests-passed': '1', 'tests-skipped': '1' });
    const testErrors = run.annotations.filter((a) => a.title?.startsWith('Test failed'));
    expect(testErrors).toHaveLength(1);
    expect(testErrors[0]).toMatchObject({ level: 'error', file: 'test/shout.test.js', line: FAILING_LINE });
    expect(testErrors[0]!.message).toContain('nope');
    const stepError = run.annotations.find((a) => a.message.startsWith('integrate failed:'));
    expect(stepError?.message).toMatch(/test step failed: `npm run test` exited with code 1/);
    expect(run.summary).toContain('❌ failure');
    expect(run.summary).toContain('whispers wrongly');
  });

  test('overridden and skipped steps', async () => {
    const run = await integrate(workspace, { cache: 'false', skip: 'lint', test: 'echo custom-test-ran' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('custom-test-ran');
    const steps = report(run).steps;
    expect(steps[1]).toMatchObject({ name: 'lint', status: 'skipped', reason: 'skipped by the "skip" input' });
  });

  test('a step over step-timeout is stopped and fails the run', async () => {
    const run = await integrate(workspace, { cache: 'false', skip: 'install, lint', test: 'sleep 20', 'step-timeout': '1s' });
    expect(run.exitCode).toBe(1);
    expect(report(run).steps[3]).toMatchObject({ status: 'timed-out', reason: 'stopped after the step timeout of 1.00 s' });
  });

  test('a stale report from an earlier run is not counted', async () => {
    const run = await integrate(workspace, { cache: 'false', skip: 'install, lint', test: 'true' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['tests-failed']).toBe('0');
    expect(run.summary).toContain('report file(s) older than this run were ignored');
  });
});

describe('bad input fails before any command runs', () => {
  const workspace = temp.make('gantry-e2e-bad-input-');
  nodeProject(workspace);

  test.each([
    ['step-timeout', 'ten minutes', 'Input "step-timeout" has the value "ten minutes": expected a duration such as 500ms, 30s, 5m, 1h or 1m30s.'],
    ['working-directory', 'missing-dir', 'Input "working-directory" has the value "missing-dir": expected an existing directory'],
    ['toolchain', 'cobol', 'Input "toolchain" has the value "cobol": expected one of auto, node, python'],
    ['coverage-threshold', 'high', 'Input "coverage-threshold" has the value "high": expected a number from 0 to 100.'],
    ['skip', 'deploy', 'Input "skip" has the value "deploy": expected step names from install, lint, build, test.'],
    ['cache', 'yes', 'Input "cache" has the value "yes": expected true or false.'],
  ])('%s: %s', async (input, value, message) => {
    const marker = join(workspace, `ran-${input}`);
    const run = await integrate(workspace, { [input]: value, install: `touch ${marker}`, cache: input === 'cache' ? value : 'false' });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message.startsWith(`integrate failed: ${message}`)).toBe(true);
    expect(errors[0]!.message.split('\n')).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
    expect(run.outputs).toEqual({});
  });
});
