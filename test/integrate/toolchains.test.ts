import { afterEach, describe, expect, test } from 'vitest';
import { DetectionError, describeToolchain, detectToolchain, planSteps } from '@gantry/integrate';
import { TempDirs, writeFiles } from '../support/temp';

const temp = new TempDirs();
function project(files: Record<string, string>): string {
  const dir = temp.make('gantry-detect-');
  writeFiles(dir, files);
  return dir;
}
afterEach(() => temp.cleanup());

const pkg = (scripts: Record<string, string> = {}) => JSON.stringify({ name: 'x', scripts });

describe('detectToolchain', () => {
  test.each([
    [{ 'package.json': pkg(), 'package-lock.json': '{}' }, 'npm'],
    [{ 'package.json': pkg() }, 'npm'],
    [{ 'package.json': pkg(), 'pnpm-lock.yaml': '' }, 'pnpm'],
    [{ 'package.json': pkg(), 'yarn.lock': '' }, 'yarn'],
    [{ 'pyproject.toml': '', 'uv.lock': '' }, 'uv'],
    [{ 'pyproject.toml': '', 'poetry.lock': '' }, 'poetry'],
    [{ 'requirements.txt': '' }, 'pip'],
    [{ 'go.mod': 'module x' }, 'go'],
    [{ 'Cargo.toml': '' }, 'cargo'],
    [{ 'pom.xml': '' }, 'maven'],
    [{ 'build.gradle.kts': '' }, 'gradle'],
  ])('%j → %s', (files, expected) => {
    expect(detectToolchain(project(files))).toBe(expected);
  });

  test('a language narrows detection to its managers', () => {
    const dir = project({ 'package.json': pkg(), 'requirements.txt': '' });
    expect(detectToolchain(dir, 'auto')).toBe('npm');
    expect(detectToolchain(dir, 'python')).toBe('pip');
    expect(detectToolchain(dir, 'cargo')).toBe('cargo');
  });

  test('nothing detected names the files it looked for and the input to set', () => {
    const dir = project({ 'README.md': '' });
    expect(() => detectToolchain(dir)).toThrow(DetectionError);
    expect(() => detectToolchain(dir)).toThrow(/no toolchain detected .* set the "toolchain" input/);
  });
});

describe('describeToolchain and planSteps', () => {
  test('npm: ci with a lockfile, scripts that exist, install served from cache', () => {
    const dir = project({ 'package.json': pkg({ test: 'node --test', build: 'tsc' }), 'package-lock.json': '{}' });
    const t = describeToolchain('npm', dir);
    expect(t.steps).toEqual({ install: 'npm ci', build: 'npm run build', test: 'npm run test' });
    expect(t.skipReasons.lint).toBe('package.json has no "lint" script');
    expect(t.lockfiles).toEqual(['package-lock.json']);
    expect(t.cachePaths[0]).toBe('node_modules');
    expect(t.installFromCache).toBe(true);
  });

  test('npm without a lockfile installs and is not served from cache', () => {
    const t = describeToolchain('npm', project({ 'package.json': pkg() }));
    expect(t.steps.install).toBe('npm install');
    expect(t.installFromCache).toBe(false);
  });

  test('yarn berry vs classic, pnpm frozen lockfile', () => {
    expect(describeToolchain('yarn', project({ 'package.json': pkg(), '.yarnrc.yml': '' })).steps.install).toBe('yarn install --immutable');
    expect(describeToolchain('yarn', project({ 'package.json': pkg() })).steps.install).toBe('yarn install --frozen-lockfile');
    expect(describeToolchain('pnpm', project({ 'package.json': pkg(), 'pnpm-lock.yaml': '' })).steps.install).toBe('pnpm install --frozen-lockfile');
  });

  test('python: pytest when declared, unittest otherwise', () => {
    expect(describeToolchain('pip', project({ 'requirements.txt': 'pytest==8\n' })).steps.test).toBe('python3 -m pytest');
    expect(describeToolchain('pip', project({ 'requirements.txt': '' })).steps.test).toBe('python3 -m unittest discover -v');
    expect(describeToolchain('uv', project({ 'uv.lock': '', 'pyproject.toml': '[dependency-groups]\ndev = ["pytest"]\n' })).steps.test).toBe('uv run python -m pytest');
  });

  test('cargo is --locked only with a Cargo.lock', () => {
    expect(describeToolchain('cargo', project({ 'Cargo.toml': '', 'Cargo.lock': '' })).steps.test).toBe('cargo test --locked');
    expect(describeToolchain('cargo', project({ 'Cargo.toml': '' })).steps.test).toBe('cargo test');
  });

  test('inputs override and skip steps', () => {
    const t = describeToolchain('go', project({ 'go.mod': 'module x' }));
    const plan = planSteps(t, { commands: { test: 'go test -race ./...' }, skip: ['lint'] });
    expect(plan.map((s) => [s.name, s.command ?? s.skipReason, s.origin])).toEqual([
      ['install', 'go mod download', 'default'],
      ['lint', 'skipped by the "skip" input', 'input'],
      ['build', 'go build ./...', 'default'],
      ['test', 'go test -race ./...', 'input'],
    ]);
  });
});
