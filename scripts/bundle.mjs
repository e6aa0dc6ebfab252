#!/usr/bin/env node
// Bundles every action (actions/*/action.yml) and the gantry CLI into dist/ with ncc.
// One command for all, so the dist check can rebuild and compare: `npm run bundle`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const targets = readdirSync(join(root, 'actions'))
  .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
  .map((name) => ({ name, entry: join(root, 'actions', name, 'src', 'index.ts') }));
targets.push({ name: 'cli', entry: join(root, 'packages', 'runner', 'src', 'cli-entry.ts') });

// `--out DIR` bundles elsewhere (the dist check compares that with the committed dist/).
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 ? args.splice(outIndex, 2)[1] : join(root, 'dist');
const only = args;
for (const { name, entry } of targets) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  // Transpile only: `npm run build` type-checks the whole project once instead of per bundle.
  const nccArgs = [ncc, 'build', relative(root, entry), '-o', relative(root, out), '-q', '-t', '-m', '--license', 'licenses.txt'];
  const started = Date.now();
  const run = spawnSync(process.execPath, nccArgs, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bundle: ncc failed for ${name} (exit ${run.status})`);
    process.exit(run.status ?? 1);
  }
  console.log(`bundle: ${relative(root, out)} in ${Date.now() - started} ms`);
}
