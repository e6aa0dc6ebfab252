import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runAction } from '@gantry/runner';
import type { ActionRun } from '@gantry/runner';
import { hasTool, missingTool } from '../support/tools';
import { TempDirs, writeFiles } from './fixtures';

const action = join(import.meta.dirname, '..', '..', 'actions', 'integrate');
const temp = new TempDirs();
afterAll(() => temp.cleanup());

/** Runs the committed dist/integrate bundle through the runner harness, under Node 24. */
function integrate(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  // A runner temp that outlives the run, so the `report` output can be read back.
  return runAction({ action, workspace, inputs, node: 'auto', timeoutMs: 180_000, runnerTemp: temp.make('gantry-runner-temp-') });
}

interface ReportStep {
  name: string;
  status: string;
  command?: string;
  reason?: string;
}

function report(run: ActionRun): { steps: ReportStep[]; cache: { hit: string; saved?: boolean; saveReason?: string } } {
  return JSON.parse(readFileSync(run.outputs.report!, 'utf8'));
}

const stepsOf = (run: ActionRun) => report(run).steps.map((s) => [s.name, s.status, s.command ?? s.reason]);

/**
 * The step table's row for `step` as [step, result, command or reason], its markup
 * (code elements or spans, entities) removed; the time cell is left out.
 */
function summaryRow(summary: string, step: string): string[] | undefined {
  const line = summary.split('\n').find((l) => l.startsWith(`| ${step} |`));
  const cells = line?.slice(2, -2).split(' | ').map((cell) =>
    cell.replace(/<\/?code>|`/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
  return cells && [cells[0]!, cells[1]!, cells[3]!];
}

/** Line of `assert add(2, 2) == 5` in tests/test_calc.py of `pythonProject(dir, { failing: true })`. */
const PYTHON_FAILING_LINE = 10;

/** A pip project: empty requirements.txt, a package, pytest writing JUnit to reports/junit.xml. */
function pythonProject(dir: string, options: { failing?: boolean; junitFamily?: 'xunit1' } = {}): void {
  writeFiles(dir, {
    'requirements.txt': '',
    'pytest.ini': ['[pytest]', 'addopts = --junitxml=reports/junit.xml', ...(options.junitFamily ? [`junit_family = ${options.junitFamily}`] : []), ''].join('\n'),
    'calc/__init__.py': 'def add(a, b):\n    return a + b\n',
    'tests/test_calc.py': [
      'import pytest',
      'from calc import add',
      '',
      '',
      'def test_adds():',
      '    assert add(1, 2) == 3',
      '',
      '',
      options.failing ? 'def test_adds_wrongly():' : 'def test_adds_negatives():',
      options.failing ? '    assert add(2, 2) == 5' : '    assert add(-1, -2) == -3',
      '',
      '',
      '@pytest.mark.skip(reason="not yet")',
      'def test_later():',
      '    pass',
      '',
    ].join('\n'),
  });
}

const noPytest = missingTool('python3', ['-m', 'pytest', '--version']);

describe.skipIf(noPytest)(`python with pip and pytest ${noPytest ?? ''}`, () => {
  test('installs the requirements, runs pytest, reads its JUnit report', async () => {
    const workspace = temp.make('gantry-e2e-pip-');
    pythonProject(workspace);
    const run = await integrate(workspace, { 'local-cache-dir': temp.make('gantry-e2e-pip-cache-') });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'success', toolchain: 'pip', 'tests-passed': '2', 'tests-failed': '0', 'tests-skipped': '1' });
    expect(run.outputs.coverage).toBe('');
    expect(summaryRow(run.summary, 'lint')).toEqual(['lint', '⏭️ skipped', 'no linter configured (ruff is used when the project declares it)']);
    expect(summaryRow(run.summary, 'build')).toEqual(['build', '⏭️ skipped', 'not a packaged project (no [build-system])']);
    expect(summaryRow(run.summary, 'test')).toEqual(['test', '✅ passed', 'python3 -m pytest']);
    // The install row is the next test's subject.
    expect(stepsOf(run).slice(1)).toEqual([
      ['lint', 'skipped', 'no linter configured (ruff is used when the project declares it)'],
      ['build', 'skipped', 'not a packaged project (no [build-system])'],
      ['test', 'success', 'python3 -m pytest'],
    ]);
    // pip's cache lives in the home directory, which already persists off GitHub.
    expect(run.summary).toContain('nothing to cache in the local store');
  });

  test('an empty requirements.txt still runs the install step (pip then has nothing to do)', async () => {
    const workspace = temp.make('gantry-e2e-pip-install-');
    pythonProject(workspace);
    const run = await integrate(workspace, { cache: 'false', skip: 'test' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(stepsOf(run)[0]).toEqual(['install', 'success', 'python3 -m pip install -r requirements.txt']);
    expect(summaryRow(run.summary, 'install')).toEqual(['install', '✅ passed', 'python3 -m pip install -r requirements.txt']);
  });

  test('the summary names the python runtime as python<version>, like node24.1.0', async () => {
    const workspace = temp.make('gantry-e2e-pip-runtime-');
    pythonProject(workspace);
    const version = /\d+\.\d+\.\d+/.exec(execFileSync('python3', ['--version'], { encoding: 'utf8' }))![0];
    const run = await integrate(workspace, { cache: 'false', skip: 'install, test' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).toContain(`**pip** (python, python${version})`);
  });

  test('a failing pytest test is annotated at the assertion in the test file', async () => {
    const workspace = temp.make('gantry-e2e-pip-failing-');
    pythonProject(workspace, { failing: true });
    const run = await integrate(workspace, { cache: 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failure', 'tests-passed': '1', 'tests-failed': '1', 'tests-skipped': '1' });
    const testErrors = run.annotations.filter((a) => a.title?.startsWith('Test failed'));
    // pytest's default junit_family (xunit2) has no file/line attributes: the place comes from the traceback.
    expect(testErrors).toEqual([
      expect.objectContaining({ level: 'error', file: 'tests/test_calc.py', line: PYTHON_FAILING_LINE, title: 'Test failed: tests.test_calc › test_adds_wrongly' }),
    ]);
    expect(testErrors[0]!.message).toContain('assert 4 == 5');
    expect(run.annotations.at(-1)!.message).toMatch(/^integrate failed: test step failed: `python3 -m pytest` exited with code 1/);
  });

  test('with junit_family = xunit1 the file and line attributes place the annotation at the test function', async () => {
    const workspace = temp.make('gantry-e2e-pip-xunit1-');
    pythonProject(workspace, { failing: true, junitFamily: 'xunit1' });
    const run = await integrate(workspace, { cache: 'false' });
    expect(run.exitCode).toBe(1);
    const junit = readFileSync(join(workspace, 'reports', 'junit.xml'), 'utf8');
    // xunit1 writes a 0-based line of the `def`: 8 is line 9 of the file.
    expect(junit).toContain('name="test_adds_wrongly" file="tests/test_calc.py" line="8"');
    const testErrors = run.annotations.filter((a) => a.title?.startsWith('Test failed'));
    expect(testErrors).toEqual([expect.objectContaining({ file: 'tests/test_calc.py', line: PYTHON_FAILING_LINE - 1 })]);
  });

  test('without pytest configured, the default test command is unittest discovery', async () => {
    const workspace = temp.make('gantry-e2e-unittest-');
    writeFiles(workspace, {
      'requirements.txt': '',
      'calc.py': 'def add(a, b):\n    return a + b\n',
      'test_calc.py': [
        'import unittest',
        'from calc import add',
        '',
        '',
        'class AddTest(unittest.TestCase):',
        '    def test_adds(self):',
        '        self.assertEqual(add(1, 2), 3)',
        '',
      ].join('\n'),
    });
    const run = await integrate(workspace, { cache: 'false' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'success', toolchain: 'pip', 'tests-passed': '0', 'tests-failed': '0' });
    expect(report(run).steps[3]).toMatchObject({ name: 'test', status: 'success', command: 'python3 -m unittest discover -v' });
    expect(run.stdout).toContain('test_adds (test_calc.AddTest');
    expect(run.summary).toContain('No JUnit report written by this run matched `junit-reports`.');
  });

  test('the toolchain input picks python in a repo that also has a package.json', async () => {
    const workspace = temp.make('gantry-e2e-choice-');
    pythonProject(workspace);
    writeFiles(workspace, { 'package.json': JSON.stringify({ name: 'both', version: '1.0.0', scripts: { test: 'exit 1' } }) });
    const run = await integrate(workspace, { cache: 'false', toolchain: 'python' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ toolchain: 'pip', result: 'success', 'tests-passed': '2' });
  });
});

const noCargo = missingTool('cargo');
// Without clippy the default lint step would fail: then the lint step is skipped instead.
const clippy = !noCargo && hasTool('cargo', ['clippy', '--version']);
const lintInput: Record<string, string> = clippy ? {} : { skip: 'lint' };

describe.skipIf(noCargo)(`rust with cargo ${noCargo ?? ''}`, () => {
  const cacheDir = temp.make('gantry-e2e-cargo-cache-');

  function rustProject(dir: string): void {
    writeFiles(dir, {
      'Cargo.toml': ['[package]', 'name = "tiny"', 'version = "0.1.0"', 'edition = "2021"', '', '[dependencies]', ''].join('\n'),
      'src/lib.rs': [
        'pub fn add(a: i64, b: i64) -> i64 {',
        '    a + b',
        '}',
        '',
        '#[cfg(test)]',
        'mod tests {',
        '    #[test]',
        '    fn adds() { assert_eq!(super::add(1, 2), 3); }',
        '    #[test]',
        '    fn adds_negatives() { assert_eq!(super::add(-1, -2), -3); }',
        '}',
        '',
      ].join('\n'),
    });
    execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, stdio: 'pipe' });
  }

  test('fetches, lints with clippy, builds and tests; saves target/ to the local store', async () => {
    const workspace = temp.make('gantry-e2e-cargo-');
    rustProject(workspace);
    const run = await integrate(workspace, { 'local-cache-dir': cacheDir, ...lintInput });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'success', toolchain: 'cargo', 'cache-hit': 'false' });
    expect(stepsOf(run)).toEqual([
      ['install', 'success', 'cargo fetch --locked'],
      clippy ? ['lint', 'success', 'cargo clippy --all-targets --locked -- -D warnings'] : ['lint', 'skipped', 'skipped by the "skip" input'],
      ['build', 'success', 'cargo build --locked'],
      ['test', 'success', 'cargo test --locked'],
    ]);
    expect(run.stdout).toContain('test tests::adds ... ok');
    expect(existsSync(join(workspace, 'target', 'debug'))).toBe(true);
    // A fresh checkout has no target/ yet: it only exists once the build has run.
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(report(run).cache.saved, report(run).cache.saveReason).toBe(true);
  });

  // Uses the store the test above saved to, as a new CI job would.
  test('a fresh checkout of the same project restores target/: cache-hit=true', async () => {
    const workspace = temp.make('gantry-e2e-cargo-again-');
    rustProject(workspace);
    const run = await integrate(workspace, { 'local-cache-dir': cacheDir, ...lintInput });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('true');
    expect(existsSync(join(workspace, 'target', 'debug'))).toBe(true);
  });

  test('a second run in the same workspace: cache-hit=true', async () => {
    const workspace = temp.make('gantry-e2e-cargo-twice-');
    rustProject(workspace);
    const store = temp.make('gantry-e2e-cargo-cache-twice-');
    const first = await integrate(workspace, { 'local-cache-dir': store, skip: 'lint' });
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await integrate(workspace, { 'local-cache-dir': store, skip: 'lint' });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['cache-hit']).toBe('true');
  });
});

describe('maven detection (no run: offline, Maven cannot download its plugins)', () => {
  test('a pom.xml is detected as maven; every step skipped', async () => {
    const workspace = temp.make('gantry-e2e-maven-');
    writeFiles(workspace, {
      'pom.xml': [
        '<project xmlns="http://maven.apache.org/POM/4.0.0">',
        '  <modelVersion>4.0.0</modelVersion>',
        '  <groupId>dev.gantry</groupId>',
        '  <artifactId>fixture</artifactId>',
        '  <version>1.0.0</version>',
        '</project>',
        '',
      ].join('\n'),
    });
    const run = await integrate(workspace, { cache: 'false', skip: 'install, lint, build, test' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ toolchain: 'maven', result: 'success' });
    expect(report(run).steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });
});
