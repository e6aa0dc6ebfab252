// integrate on a Node project with real npm dependencies: cold against warm cache, the
// action's overhead against the same commands in a shell, and what to cache for npm.
// Targets: warm ≥ 2× faster than cold; overhead < 5 %.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPENDENCIES, SHELL_PIPELINE, createFixture, resetFixture } from './lib/fixture.mjs';
import { measureCacheChoice } from './lib/cache-choice.mjs';
import { NODE24, ROOT, actionEnv, cleanEnv, machine, readOutputs, removeTempDirs, snapshotDist, tempDir } from './lib/env.mjs';
import { megabytes, ms, spread, stats, table, timeSpawn } from './lib/measure.mjs';

const REPS = Number(process.env.BENCH_REPS || 5);

/** One integrate run of the bundle on the fixture, start to exit; checks it succeeded. */
function runIntegrate(bundle, fixture, inputs, extraEnv) {
  const { env, files, runnerTemp } = actionEnv(join(ROOT, 'actions', 'integrate'), { workspace: fixture, inputs, extra: extraEnv });
  const { ms: elapsed, stdout } = timeSpawn(NODE24, [bundle], { env, cwd: fixture });
  const outputs = readOutputs(files.GITHUB_OUTPUT);
  if (outputs.result !== 'success' || outputs['tests-passed'] !== '3') {
    throw new Error(`integrate did not pass the fixture's 3 tests: ${JSON.stringify(outputs)}\n${stdout}`);
  }
  // The action's own report splits the step: dependencies (restore, install, save) and the rest.
  const report = JSON.parse(readFileSync(outputs.report, 'utf8'));
  rmSync(runnerTemp, { recursive: true, force: true });
  const stepMs = (name) => report.steps.find((s) => s.name === name)?.durationMs ?? 0;
  const dependencies = (report.cache.restoreMs ?? 0) + stepMs('install') + (report.cache.saveMs ?? 0);
  return { ms: elapsed, outputs, dependencies, checks: stepMs('lint') + stepMs('build') + stepMs('test') };
}

function coldWarm(bundle, fixture) {
  const sharedNpm = tempDir('npm-cache-shared');
  const runs = { coldEmpty: [], coldWarmNpm: [], warm: [] };
  const phases = { coldEmpty: [], coldWarmNpm: [], warm: [] };
  const keep = (name, run) => {
    runs[name].push(run.ms);
    phases[name].push(run);
  };
  const inputs = (dir) => ({ 'local-cache-dir': dir, 'job-summary': 'false' });
  // Cold as on a fresh runner: nothing cached anywhere, npm downloads from the registry.
  for (let i = 0; i < REPS; i++) {
    resetFixture(fixture);
    const store = tempDir('store-cold');
    const npm = tempDir('npm-cache-cold');
    const run = runIntegrate(bundle, fixture, inputs(store), { npm_config_cache: npm });
    if (run.outputs['cache-hit'] !== 'false') throw new Error(`cold run had cache-hit ${run.outputs['cache-hit']}`);
    keep('coldEmpty', run);
    rmSync(store, { recursive: true, force: true });
    rmSync(npm, { recursive: true, force: true });
  }
  // Cold store but a warm npm cache, as on a laptop (the local store does not copy ~/.npm).
  const store = tempDir('store');
  for (let i = 0; i <= REPS; i++) {
    resetFixture(fixture);
    rmSync(store, { recursive: true, force: true });
    const run = runIntegrate(bundle, fixture, inputs(store), { npm_config_cache: sharedNpm });
    if (i > 0) keep('coldWarmNpm', run); // the first one only warms the npm cache
  }
  // Warm: the store holds this exact key (saved by the last run above); node_modules removed.
  for (let i = 0; i < REPS; i++) {
    resetFixture(fixture);
    const run = runIntegrate(bundle, fixture, inputs(store), { npm_config_cache: sharedNpm });
    if (run.outputs['cache-hit'] !== 'true') throw new Error(`warm run had cache-hit ${run.outputs['cache-hit']}`);
    keep('warm', run);
  }
  rmSync(store, { recursive: true, force: true });
  return { runs, phases, sharedNpm };
}

/** Action (cache off) and shell, interleaved so drift on a busy machine hits both alike. */
function overhead(bundle, fixture, npmCache) {
  const env = cleanEnv({ npm_config_cache: npmCache });
  const action = [];
  const shell = [];
  for (let i = 0; i < REPS + 2; i++) {
    resetFixture(fixture);
    const a = runIntegrate(bundle, fixture, { cache: 'false', 'job-summary': 'false' }, { npm_config_cache: npmCache }).ms;
    resetFixture(fixture);
    const s = timeSpawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', SHELL_PIPELINE], { cwd: fixture, env }).ms;
    if (i > 0) {
      action.push(a);
      shell.push(s);
    }
  }
  return { action: stats(action), shell: stats(shell), diffs: stats(action.map((a, i) => a - shell[i])) };
}

/** Runs the benchmark on a snapshot of the committed dist/ (default: a new one) and returns its markdown. */
export async function main({ snap = snapshotDist() } = {}) {
  const bundle = join(snap.dir, 'integrate', 'index.js');
  const fixture = createFixture();
  const out = [];
  out.push(`### integrate on a Node project with npm dependencies\n`);
  out.push(`Machine: ${machine()}.`);
  out.push(
    `Bundle: dist/integrate at ${snap.commit}${snap.dirty ? ' (the working tree\'s dist/ differs: not measured)' : ''}, run with a runner-faithful env (INPUT_*, GITHUB_OUTPUT, …). ` +
      `Fixture: ${Object.entries(DEPENDENCIES).map(([n, v]) => `${n}@${v}`).join(', ')} (+ ms, 7 packages) from registry.npmjs.org, lockfile by \`npm install --package-lock-only\`; ` +
      'lint `node --check` ×3, build a small script using commander, test `node --test` with 3 tests and a JUnit report (checked: 3 passed, every run). ' +
      `N = ${REPS} per row, times are start → exit of the whole step.\n`,
  );

  const { runs, phases, sharedNpm } = coldWarm(bundle, fixture);
  const warm = stats(runs.warm);
  const warmDeps = stats(phases.warm.map((r) => r.dependencies));
  const row = (label, name) => {
    const whole = stats(runs[name]);
    const deps = stats(phases[name].map((r) => r.dependencies));
    return [
      label,
      spread(whole),
      `${(whole.median / warm.median).toFixed(1)}×`,
      ms(deps.median),
      `${(deps.median / warmDeps.median).toFixed(1)}×`,
      ms(stats(phases[name].map((r) => r.checks)).median),
    ];
  };
  out.push(
    table(
      ['run', 'whole step, median (min–max):', '÷ warm:', 'restore + install + save, median:', '÷ warm:', 'lint + build + test, median:'],
      [
        row('cold: empty store, empty npm cache (a fresh runner)', 'coldEmpty'),
        row('cold store, warm npm cache (a laptop)', 'coldWarmNpm'),
        row('warm: exact hit, `npm ci` skipped, node_modules removed before', 'warm'),
      ],
    ),
  );
  out.push('\nThe phase columns come from the action\'s JSON report (`report` output): cache restore and save times and the install step\'s duration.');

  const o = overhead(bundle, fixture, sharedNpm);
  const pct = (100 * (o.action.median - o.shell.median)) / o.shell.median;
  out.push(`\nOverhead: the action (\`cache: false\`) against \`bash -c '${SHELL_PIPELINE}'\`, node_modules removed before each, the same warm npm cache, runs interleaved; N = ${o.action.n} pairs after one discarded pair.\n`);
  out.push(
    table(
      ['run', 'median (min–max):'],
      [
        ['shell', spread(o.shell)],
        ['integrate action', spread(o.action)],
        ['action − shell, per pair', `${ms(o.diffs.median)} (${ms(o.diffs.min)}–${ms(o.diffs.max)})`],
        ['overhead (difference of medians ÷ shell median)', `${pct.toFixed(1)} % — target < 5 %: ${pct < 5 ? 'met' : 'not met'}`],
      ],
    ),
  );

  const choice = measureCacheChoice(fixture, REPS);
  out.push(`\nWhat to cache for npm, measured directly with uncompressed tar archives (as the local store makes them); restore = \`tar --extract\`, install = \`npm ci\` where one runs; N = ${REPS}.\n`);
  out.push(
    table(
      ['strategy', 'archive:', 'restore median:', 'install median:', 'total median (min–max):'],
      choice.map((c) => [c.strategy, c.bytes ? megabytes(c.bytes) : '—', ms(c.restore.median), ms(c.install.median), spread(c.total)]),
    ),
  );
  rmSync(sharedNpm, { recursive: true, force: true });
  rmSync(fixture, { recursive: true, force: true });
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(await main());
  } finally {
    removeTempDirs();
  }
}
