// A small Node project with real npm dependencies and real, fast lint/build/test scripts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from './env.mjs';

/** Small, popular, pure-JS packages, pinned (debug brings a transitive dependency, ms). */
export const DEPENDENCIES = {
  chalk: '6.0.1',
  commander: '15.1.0',
  debug: '4.4.3',
  picomatch: '4.0.7',
  semver: '7.8.6',
  yaml: '2.9.1',
};

const FILES = {
  // Explicit, so results do not depend on ~/.npmrc: resolved URLs in the lockfile (npm's
  // default, and what real projects commit), no audit or fund requests during npm ci.
  '.npmrc': 'omit-lockfile-registry-resolved=false\naudit=false\nfund=false\nupdate-notifier=false\n',
  'package.json': `${JSON.stringify(
    {
      name: 'gantry-bench-fixture',
      version: '1.2.3',
      private: true,
      type: 'module',
      scripts: {
        lint: 'node --check src/report.js && node --check scripts/build.js && node --check test/report.test.js',
        build: 'node scripts/build.js',
        test: 'node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=junit.xml',
      },
      dependencies: DEPENDENCIES,
    },
    null,
    2,
  )}\n`,
  'src/report.js': `import chalk from 'chalk';
import createDebug from 'debug';
import picomatch from 'picomatch';
import semver from 'semver';
import { parse, stringify } from 'yaml';

const debug = createDebug('fixture');

/** Packages of a YAML manifest whose version satisfies a range and whose name matches a glob. */
export function select(manifestYaml, range, glob) {
  const isMatch = picomatch(glob);
  const packages = parse(manifestYaml).packages ?? [];
  debug('%d packages', packages.length);
  return packages.filter((p) => isMatch(p.name) && semver.satisfies(p.version, range));
}

/** One coloured line per package (colours off when not a TTY). */
export function render(packages) {
  return packages.map((p) => \`\${chalk.bold(p.name)} \${chalk.green(p.version)}\`).join('\\n');
}

export function toYaml(packages) {
  return stringify({ packages });
}
`,
  'scripts/build.js': `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import semver from 'semver';

const program = new Command().option('--out <dir>', 'output directory', 'dist').parse(process.argv);
const { out } = program.opts();
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync(out, { recursive: true });
const source = readFileSync('src/report.js', 'utf8');
writeFileSync(\`\${out}/report.js\`, \`// \${pkg.name} \${semver.inc(pkg.version, 'patch')}-dev\\n\${source}\`);
console.log(\`built \${out}/report.js (\${source.length} bytes)\`);
`,
  'test/report.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render, select, toYaml } from '../src/report.js';

const manifest = 'packages:\\n  - { name: api-server, version: 1.4.0 }\\n  - { name: api-client, version: 2.0.1 }\\n  - { name: web, version: 1.9.9 }\\n';

test('selects by glob and semver range', () => {
  assert.deepEqual(select(manifest, '^1.0.0', 'api-*').map((p) => p.name), ['api-server']);
});

test('renders one line per package', () => {
  assert.equal(render(select(manifest, '*', '*')).split('\\n').length, 3);
});

test('round-trips through YAML', () => {
  assert.match(toYaml(select(manifest, '>=2', '**')), /api-client/);
});
`,
};

/** Runs a command in the fixture; throws with its output when it fails. */
export function run(file, args, { cwd, env }) {
  const result = spawnSync(file, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Writes the fixture to a temp dir and makes its package-lock.json from the npm registry
 * (npm install --package-lock-only, with a throw-away npm cache). Returns its directory.
 */
export function createFixture() {
  const dir = tempDir('fixture');
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const npmCache = tempDir('npm-cache-lock');
  run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv({ npm_config_cache: npmCache }) });
  rmSync(npmCache, { recursive: true, force: true });
  return dir;
}

/** Removes what a run leaves behind (node_modules, the build, the JUnit report). */
export function resetFixture(dir) {
  for (const name of ['node_modules', 'dist', 'junit.xml']) rmSync(join(dir, name), { recursive: true, force: true });
}

/** The commands the shell baseline runs, the same the action runs by default for this project. */
export const SHELL_PIPELINE = 'npm ci && npm run lint && npm run build && npm run test';
