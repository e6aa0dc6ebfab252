// Where a bundle's start-up goes: one --cpu-prof run, self time grouped by what the code is.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24, tempDir } from './env.mjs';

const GROUPS = [
  ['parse and compile the bundle (ESM loader)', (url) => url.startsWith('node:internal/modules/')],
  ['load Node built-ins not in the snapshot (http2, tls, …)', (url) => url.startsWith('node:internal/bootstrap/')],
  ['child processes (spawnSync)', (url) => url.includes('child_process')],
  ['JavaScript in the bundle (module initialisation and the action)', (url, bundle) => url === bundle],
  ['other Node internals', (url) => url.startsWith('node:')],
  ['native, GC and idle', () => true],
];

/**
 * Inclusive time of the bundle's module factories whose first 400 characters match a
 * marker (e.g. the export map of @actions/core): what initialising that module and
 * everything it requires costs. Nested matches of the same marker are counted once.
 */
function inclusiveByMarker(profile, bundle, bundleUrl, markers) {
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i] / 1000));
  const inclusive = (node) => (self.get(node.id) ?? 0) + (node.children ?? []).reduce((sum, c) => sum + inclusive(byId.get(c)), 0);
  const totals = markers.map(() => 0);
  const walk = (node, inside) => {
    const frame = node.callFrame;
    let here = inside;
    if (frame.url === bundleUrl && /^\d+$/.test(frame.functionName)) {
      const head = (lines[frame.lineNumber] ?? '').slice(frame.columnNumber, frame.columnNumber + 400);
      markers.forEach(([, marker], i) => {
        if (!inside.has(i) && marker.test(head)) {
          totals[i] += inclusive(node);
          here = new Set([...here, i]);
        }
      });
    }
    for (const child of node.children ?? []) walk(byId.get(child), here);
  };
  walk(profile.nodes[0], new Set());
  return markers.map(([label], i) => [label, totals[i]]);
}

/**
 * Runs `node --cpu-prof <bundle> ...args` once (sampling every 100 µs) and returns
 * [group, ms] rows of self time summing to the profiled time, that total, and the
 * inclusive time of the module factories matching `markers` ([label, RegExp] pairs).
 * Profiling slows the run, so the shares matter more than the absolute figures.
 */
export function profileStartup(bundle, args, { env, cwd, markers = [] }) {
  const dir = tempDir('cpuprof');
  const run = spawnSync(NODE24, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', bundle, ...args], { env, cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`profiled run of ${bundle} exited ${run.status}: ${run.stderr}`);
  const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const urlOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame.url]));
  const bundleUrl = new URL(`file://${bundle}`).href;
  const totals = new Map(GROUPS.map(([name]) => [name, 0]));
  profile.samples.forEach((id, i) => {
    const url = urlOf.get(id) ?? '';
    const [name] = GROUPS.find(([, test]) => test(url, bundleUrl));
    totals.set(name, totals.get(name) + profile.timeDeltas[i] / 1000);
  });
  const modules = inclusiveByMarker(profile, bundle, bundleUrl, markers);
  return { rows: [...totals], totalMs: (profile.endTime - profile.startTime) / 1000, modules };
}

/**
 * Modules a run loads, from a module.registerHooks preload: the bundle's own files (to see
 * whether a lazy chunk was loaded), other files, and the number of distinct built-ins.
 */
export function loadedModules(bundle, args, { env, cwd }) {
  const hook = new URL('./trace-loads.mjs', import.meta.url).pathname;
  const run = spawnSync(NODE24, ['--import', hook, bundle, ...args], { env, cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`traced run of ${bundle} exited ${run.status}: ${run.stderr}`);
  const line = run.stderr.split('\n').find((l) => l.startsWith('GANTRY_BENCH_LOADED '));
  const urls = [...new Set(JSON.parse(line.slice('GANTRY_BENCH_LOADED '.length)))];
  return {
    files: urls.filter((u) => u.startsWith('file:')).map((u) => new URL(u).pathname),
    builtins: urls.filter((u) => u.startsWith('node:')).map((u) => u.slice(5)),
  };
}
