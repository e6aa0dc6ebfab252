import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Language, StepName, ToolchainChoice, ToolchainId } from './types';

/** Everything Gantry knows about one package manager. */
export interface Toolchain {
  id: ToolchainId;
  language: Language;
  /** Files whose content decides the dependency set: the cache key hashes them. */
  lockfiles: string[];
  /** Command whose output names the runtime version (part of the cache key). */
  runtimeVersion: string[];
  /** What to cache: what makes the next install fastest. */
  cachePaths: string[];
  /**
   * The cached paths are the installed result itself (node_modules for one exact
   * lockfile and runtime), so an exact hit makes the install step unnecessary.
   */
  installFromCache: boolean;
  /**
   * The step after which the cache holds what it should: `install` for package stores and
   * node_modules, `build` where the cache is build output (cargo's target/, Go's build cache).
   */
  saveAfter: 'install' | 'build';
  /** Default commands; a missing one is a step skipped with `skipReason`. */
  steps: Partial<Record<StepName, string>>;
  skipReasons: Partial<Record<StepName, string>>;
}

const has = (dir: string, file: string) => existsSync(join(dir, file));
const home = (...p: string[]) => join(process.env.HOME || homedir(), ...p);

/** Detection order matters: a lockfile is stronger evidence than a manifest. */
const DETECTORS: Array<[ToolchainId, (dir: string) => boolean]> = [
  ['pnpm', (d) => has(d, 'pnpm-lock.yaml')],
  ['yarn', (d) => has(d, 'yarn.lock')],
  ['npm', (d) => has(d, 'package-lock.json') || has(d, 'npm-shrinkwrap.json') || has(d, 'package.json')],
  ['uv', (d) => has(d, 'uv.lock')],
  ['poetry', (d) => has(d, 'poetry.lock')],
  ['pip', (d) => ['requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg'].some((f) => has(d, f))],
  ['go', (d) => has(d, 'go.mod')],
  ['cargo', (d) => has(d, 'Cargo.toml')],
  ['maven', (d) => has(d, 'pom.xml')],
  ['gradle', (d) => ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'].some((f) => has(d, f))],
];

const LANGUAGE_OF: Record<ToolchainId, Language> = {
  npm: 'node', pnpm: 'node', yarn: 'node',
  uv: 'python', poetry: 'python', pip: 'python',
  go: 'go', cargo: 'rust', maven: 'java', gradle: 'java',
};

export class DetectionError extends Error {
  override name = 'DetectionError';
}

/**
 * The package manager for a project directory. `choice` narrows it: a
 * language (`node`) picks among its managers by lockfile; a manager is used as is.
 */
export function detectToolchain(dir: string, choice: ToolchainChoice = 'auto'): ToolchainId {
  if (choice !== 'auto' && choice in LANGUAGE_OF) return choice as ToolchainId;
  const language = choice === 'auto' ? undefined : choice;
  for (const [id, matches] of DETECTORS) {
    if ((!language || LANGUAGE_OF[id] === language) && matches(dir)) return id;
  }
  const fallback: Partial<Record<string, ToolchainId>> = { node: 'npm', python: 'pip', rust: 'cargo', java: 'maven' };
  if (language && fallback[language]) return fallback[language]!;
  throw new DetectionError(
    `no toolchain detected in ${dir}: expected one of package.json, pyproject.toml, requirements.txt, go.mod, Cargo.toml, pom.xml, build.gradle; set the "toolchain" input to choose one`,
  );
}

/** The full definition of a toolchain for a project directory. */
export function describeToolchain(id: ToolchainId, dir: string): Toolchain {
  switch (LANGUAGE_OF[id]) {
    case 'node':
      return nodeToolchain(id as 'npm' | 'pnpm' | 'yarn', dir);
    case 'python':
      return pythonToolchain(id as 'uv' | 'poetry' | 'pip', dir);
    case 'go':
      return {
        id, language: 'go', lockfiles: has(dir, 'go.sum') ? ['go.sum'] : ['go.mod'],
        runtimeVersion: ['go', 'env', 'GOVERSION'],
        cachePaths: [process.env.GOMODCACHE || home('go', 'pkg', 'mod'), process.env.GOCACHE || home('.cache', 'go-build')],
        installFromCache: false,
        saveAfter: 'build',
        steps: { install: 'go mod download', lint: 'go vet ./...', build: 'go build ./...', test: 'go test ./...' },
        skipReasons: {},
      };
    case 'rust': {
      const locked = has(dir, 'Cargo.lock') ? ' --locked' : '';
      return {
        id, language: 'rust', lockfiles: has(dir, 'Cargo.lock') ? ['Cargo.lock'] : ['Cargo.toml'],
        runtimeVersion: ['rustc', '--version'],
        cachePaths: [home('.cargo', 'registry', 'index'), home('.cargo', 'registry', 'cache'), home('.cargo', 'git', 'db'), 'target'],
        installFromCache: false,
        saveAfter: 'build',
        steps: { install: `cargo fetch${locked}`, lint: 'cargo clippy --all-targets' + locked + ' -- -D warnings', build: `cargo build${locked}`, test: `cargo test${locked}` },
        skipReasons: {},
      };
    }
    case 'java':
      return javaToolchain(id as 'maven' | 'gradle', dir);
  }
}

function nodeToolchain(id: 'npm' | 'pnpm' | 'yarn', dir: string): Toolchain {
  const scripts = readScripts(dir);
  const lockfile = { npm: has(dir, 'npm-shrinkwrap.json') ? 'npm-shrinkwrap.json' : 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' }[id];
  const locked = has(dir, lockfile);
  const yarnBerry = has(dir, '.yarnrc.yml');
  const install = {
    npm: locked ? 'npm ci' : 'npm install',
    pnpm: locked ? 'pnpm install --frozen-lockfile' : 'pnpm install',
    yarn: yarnBerry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile',
  }[id];
  const steps: Partial<Record<StepName, string>> = { install };
  const skipReasons: Partial<Record<StepName, string>> = {};
  for (const step of ['lint', 'build', 'test'] as const) {
    // Same effect as `npm run <step> --if-present`, but the report can say why a step did not run.
    if (scripts[step]) steps[step] = `${id} run ${step}`;
    else skipReasons[step] = `package.json has no "${step}" script`;
  }
  return {
    id, language: 'node', lockfiles: locked ? [lockfile] : ['package.json'],
    runtimeVersion: ['node', '--version'],
    // Measured (bench/integrate.mjs): restoring node_modules for the exact lockfile and Node
    // version and skipping the install beats any package-store cache; the store rides along
    // so that a fallback (partial) restore still makes the install an offline one.
    cachePaths: ['node_modules', ...(id === 'npm' ? [process.env.npm_config_cache || home('.npm')] : [])],
    installFromCache: locked,
    saveAfter: 'install',
    steps, skipReasons,
  };
}

function pythonToolchain(id: 'uv' | 'poetry' | 'pip', dir: string): Toolchain {
  const pyproject = has(dir, 'pyproject.toml') ? readFileSync(join(dir, 'pyproject.toml'), 'utf8') : '';
  const hasRequirements = has(dir, 'requirements.txt');
  const requirements = hasRequirements ? readFileSync(join(dir, 'requirements.txt'), 'utf8') : '';
  const run = { uv: 'uv run ', poetry: 'poetry run ', pip: '' }[id];
  const python = id === 'pip' ? 'python3 -m ' : '';
  const usesPytest = /pytest/i.test(pyproject + requirements) || has(dir, 'pytest.ini') || has(dir, 'conftest.py');
  const usesRuff = /ruff/i.test(pyproject + requirements) || has(dir, 'ruff.toml');
  const packaged = /\[build-system\]/.test(pyproject) || has(dir, 'setup.py');
  const install = {
    uv: 'uv sync --frozen',
    poetry: 'poetry install --no-interaction',
    pip: hasRequirements ? 'python3 -m pip install -r requirements.txt' : packaged ? 'python3 -m pip install .' : undefined,
  }[id];
  const steps: Partial<Record<StepName, string>> = {
    install,
    lint: usesRuff ? `${run}${python}ruff check .` : undefined,
    build: packaged && id !== 'pip' ? `${id} build` : undefined,
    test: usesPytest ? `${run}${python || 'python -m '}pytest` : `${run}${python || 'python -m '}unittest discover -v`,
  };
  return {
    id, language: 'python',
    lockfiles: { uv: ['uv.lock'], poetry: ['poetry.lock'], pip: ['requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg'].filter((f) => has(dir, f)) }[id],
    runtimeVersion: ['python3', '--version'],
    cachePaths: { uv: [home('.cache', 'uv')], poetry: [home('.cache', 'pypoetry')], pip: [home('.cache', 'pip')] }[id],
    installFromCache: false,
    saveAfter: 'install',
    steps,
    skipReasons: {
      install: install ? undefined : 'no requirements.txt or package metadata',
      lint: usesRuff ? undefined : 'no linter configured (ruff is used when the project declares it)',
      build: steps.build ? undefined : 'not a packaged project (no [build-system])',
    },
  };
}

function javaToolchain(id: 'maven' | 'gradle', dir: string): Toolchain {
  if (id === 'maven') {
    const mvn = has(dir, 'mvnw') ? './mvnw -B -ntp' : 'mvn -B -ntp';
    return {
      id, language: 'java', lockfiles: ['**/pom.xml'],
      runtimeVersion: ['java', '-version'],
      cachePaths: [home('.m2', 'repository')],
      installFromCache: false,
      saveAfter: 'install',
      steps: { install: `${mvn} dependency:go-offline`, build: `${mvn} -DskipTests package`, test: `${mvn} test` },
      skipReasons: { lint: 'Maven has no default lint; set the "lint" input' },
    };
  }
  const gradle = has(dir, 'gradlew') ? './gradlew' : 'gradle';
  return {
    id, language: 'java', lockfiles: ['**/*.gradle*', '**/gradle-wrapper.properties', '**/gradle.lockfile'],
    runtimeVersion: ['java', '-version'],
    cachePaths: [home('.gradle', 'caches'), home('.gradle', 'wrapper')],
    installFromCache: false,
    saveAfter: 'build',
    steps: { build: `${gradle} assemble`, test: `${gradle} test` },
    skipReasons: { install: 'Gradle resolves dependencies while building', lint: 'Gradle has no default lint; set the "lint" input' },
  };
}

function readScripts(dir: string): Record<string, string> {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts ?? {};
  } catch {
    return {};
  }
}
