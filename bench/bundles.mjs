// Size of every dist/*/index.js and its directory, and cold start (node start → exit) under
// Node 24 on a minimal valid input, against a bare `node -e 0`. Targets: < 100 ms, < 1.5 MB.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE24, ROOT, actionEnv, bundleNames, machine, readOutputs, removeTempDirs, snapshotDist, tempDir } from './lib/env.mjs';
import { compareStartup, megabytes, ms, table } from './lib/measure.mjs';
import { loadedModules, profileStartup } from './lib/startup-profile.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS || 40);
const WARMUP = 2;

function sizes(dist) {
  return bundleNames(dist).map((name) => {
    const dir = join(dist, name);
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const total = chunks.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    return { name, index: statSync(join(dir, 'index.js')).size, total, chunks: chunks.length - 1 };
  });
}

/** An ncc bundle of @actions/core alone (minified, like dist/), to show its share of start-up. */
function coreOnlyBundle() {
  const out = tempDir('core-only');
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const run = spawnSync(NODE24, [ncc, 'build', 'bench/fixtures/core-only.mjs', '-o', out, '-q', '-m'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ncc failed for the core-only bundle: ${run.stderr}`);
  const file = readdirSync(out).find((f) => /^index\.m?js$/.test(f));
  return { file: join(out, file), bytes: statSync(join(out, file)).size };
}

/** The minimal valid integrate run: an empty npm project, every step skipped, no cache, no summary. */
function minimalIntegrate(dist) {
  const workspace = tempDir('minimal');
  writeFileSync(join(workspace, 'package.json'), '{}\n');
  const inputs = { skip: 'install, lint, build, test', cache: 'false', 'job-summary': 'false' };
  const { env, files } = actionEnv(join(ROOT, 'actions', 'integrate'), { workspace, inputs });
  const check = spawnSync(NODE24, [join(dist, 'integrate', 'index.js')], { env, cwd: workspace, encoding: 'utf8' });
  const outputs = readOutputs(files.GITHUB_OUTPUT);
  if (check.status !== 0 || outputs.result !== 'success') {
    throw new Error(`the minimal integrate run did not succeed (exit ${check.status}): ${check.stdout}${check.stderr}`);
  }
  return { env, workspace, inputs };
}

/** Runs the benchmark on a snapshot of the committed dist/ (default: a new one) and returns its markdown. */
export async function main({ snap = snapshotDist() } = {}) {
  const dist = snap.dir;
  const out = [];
  out.push(`### Bundles: size and cold start\n`);
  out.push(`Machine: ${machine()}.`);
  out.push(`Bundles: dist/ at ${snap.commit}${snap.dirty ? ' (the working tree\'s dist/ differs: not measured)' : ''}, as committed, unpacked with \`git archive\` into a temp dir (so a rebuild during the run cannot interfere, and nothing resolves from the repo's node_modules, as on a runner).\n`);

  const sized = sizes(dist);
  out.push(
    table(
      ['bundle', 'index.js (loaded at start):', 'all .js in the dir:', 'lazy chunks:', 'target < 1.5 MB (start-up bundle)'],
      sized.map((s) => [`dist/${s.name}`, megabytes(s.index), megabytes(s.total), String(s.chunks), s.index < 1.5e6 ? 'met' : 'not met']),
    ),
  );

  const integrate = minimalIntegrate(dist);
  const core = coreOnlyBundle();
  const commands = [
    { name: '`node -e 0`', argv: [NODE24, '-e', '0'] },
    { name: '`node -e` + spawnSync `node --version`', argv: [NODE24, '-e', 'require("node:child_process").spawnSync("node", ["--version"])'] },
    { name: `@actions/core alone (ncc -m, ${megabytes(core.bytes)})`, argv: [NODE24, core.file] },
    { name: 'dist/integrate, minimal run', argv: [NODE24, join(dist, 'integrate', 'index.js')] },
    { name: 'dist/cli `--help`', argv: [NODE24, join(dist, 'cli', 'index.js'), '--help'] },
  ];
  const startup = compareStartup(commands, { runs: RUNS, warmup: WARMUP, env: integrate.env, cwd: integrate.workspace });
  const bare = startup.results[0].median;
  out.push(`\nCold start, node start → exit, Node 24, measured with ${startup.tool}; N = ${startup.results[0].n} runs per command.`);
  out.push(`The minimal integrate run: a directory with \`package.json\` \`{}\`, inputs ${Object.entries(integrate.inputs).map(([k, v]) => `\`${k}: ${v}\``).join(', ')} (exit 0 checked; the step still detects the toolchain and asks \`node --version\`).\n`);
  out.push(
    table(
      ['command', 'median:', 'mean:', 'min:', 'max:', 'median − bare node:', 'target < 100 ms'],
      startup.results.map((r, i) => [
        r.name,
        ms(r.median),
        ms(r.mean),
        ms(r.min),
        ms(r.max),
        i === 0 ? '—' : ms(r.median - bare),
        i >= 3 ? (r.median < 100 ? 'met' : 'not met') : '',
      ]),
    ),
  );

  // Markers: the export maps webpack writes at the top of @actions/core's and @actions/http-client's factories.
  const markers = [
    ['initialising @actions/core (and all it requires)', /^\(\w,\w,\w\)=>\{\w\.d\(\w,\{[^}]*\bsetFailed\b/],
    ['… of which @actions/http-client (and undici, which it requires)', /^\(\w,\w,\w\)=>\{\w\.d\(\w,\{[^}]*\bHttpClientError\b/],
  ];
  const profile = profileStartup(join(dist, 'integrate', 'index.js'), [], { env: integrate.env, cwd: integrate.workspace, markers });
  const loaded = loadedModules(join(dist, 'integrate', 'index.js'), [], { env: integrate.env, cwd: integrate.workspace });
  out.push(`\nWhere the minimal integrate run's time goes (one \`--cpu-prof\` run, 100 µs sampling, ${ms(profile.totalMs)} in all; profiling slows it, read the shares):\n`);
  const share = ([name, t]) => [name, t ? t.toFixed(1) : 'not found in the bundle', t ? `${Math.round((100 * t) / profile.totalMs)} %` : '—'];
  out.push(table(['self time in', 'ms:', 'share:'], profile.rows.map(share)));
  out.push(`\nAcross those groups, module by module (inclusive time):\n`);
  out.push(table(['inclusive time in', 'ms:', 'share:'], profile.modules.map(share)));
  const chunkFiles = loaded.files.map((f) => f.slice(dist.length + 1));
  out.push(`\nFiles loaded: ${chunkFiles.map((f) => `\`${f}\``).join(', ')} (lazy chunk ${chunkFiles.some((f) => /^integrate\/\d+\.index\.js$/.test(f)) ? '**loaded**' : 'not loaded'}); Node built-ins loaded: ${loaded.builtins.length} (${loaded.builtins.join(', ')}).`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(await main());
  } finally {
    removeTempDirs();
  }
}
