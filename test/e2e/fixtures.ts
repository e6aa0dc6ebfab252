import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TempDirs, writeFiles } from '../support/temp';

export { TempDirs, writeFiles };

/** A real npm package tarball in `dir/vendor`, so `npm ci` installs a dependency offline. */
export function packDependency(dir: string, name: string, version = '1.0.0'): string {
  const source = join(dir, '.deps', name);
  writeFiles(source, {
    'package.json': JSON.stringify({ name, version, main: 'index.js' }),
    'index.js': `module.exports = (s) => '${name}:' + s;\n`,
  });
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', join(dir, 'vendor')], { cwd: source, stdio: 'pipe' });
  rmSync(join(dir, '.deps'), { recursive: true, force: true });
  return `file:vendor/${name}-${version}.tgz`;
}

/** Writes package-lock.json for the current package.json, offline. */
export function lock(dir: string): void {
  execFileSync('npm', ['install', '--package-lock-only', '--offline', '--silent'], { cwd: dir, stdio: 'pipe' });
}

const TEST_SCRIPT =
  'node --test --test-reporter=spec --test-reporter-destination=stdout ' +
  '--test-reporter=junit --test-reporter-destination=reports/junit.xml ' +
  '--experimental-test-coverage --test-reporter=lcov --test-reporter-destination=coverage/lcov.info';

/**
 * A Node project with one real dependency and node:test tests that write
 * JUnit and lcov. `failing` makes one test fail at a known line (FAILING_LINE).
 */
export function nodeProject(dir: string, options: { failing?: boolean } = {}): void {
  const dep = packDependency(dir, 'tiny-dep');
  writeFiles(dir, {
    'package.json': JSON.stringify(
      {
        name: 'fixture',
        version: '1.0.0',
        private: true,
        dependencies: { 'tiny-dep': dep },
        scripts: {
          lint: 'node --check src/shout.js',
          pretest: "node -e \"for (const d of ['reports', 'coverage']) require('fs').mkdirSync(d, { recursive: true })\"",
          test: TEST_SCRIPT,
        },
      },
      null,
      2,
    ),
    'src/shout.js': [
      "const tag = require('tiny-dep');",
      'exports.shout = (s) => tag(s.toUpperCase());',
      'exports.whisper = (s) => {',
      '  if (!s) return "";',
      '  return s.toLowerCase();',
      '};',
      '',
    ].join('\n'),
    'test/shout.test.js': [
      "const assert = require('node:assert/strict');",
      "const { test } = require('node:test');",
      "const { shout } = require('../src/shout.js');",
      "test('shouts', () => assert.equal(shout('hi'), 'tiny-dep:HI'));",
      options.failing
        ? "test('whispers wrongly', () => assert.equal(shout('x'), 'nope'));"
        : "test('shouts again', () => assert.equal(shout('a'), 'tiny-dep:A'));",
      "test.skip('not yet', () => {});",
      '',
    ].join('\n'),
  });
  lock(dir);
}

/** Line of the failing assertion in the failing fixture. */
export const FAILING_LINE = 5;
