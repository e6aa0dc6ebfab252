// `npm run bench`: every benchmark in sequence, each printing its markdown tables.
// One at a time, so they do not compete for this machine's cores.
import { main as bundles } from './bundles.mjs';
import { main as integrate } from './integrate.mjs';
import { main as packageImage } from './package.mjs';
import { main as probe } from './probe.mjs';
import { removeTempDirs, snapshotDist } from './lib/env.mjs';

const BENCHMARKS = [
  ['bundles', bundles],
  ['integrate', integrate],
  ['package', packageImage],
  ['probe', probe],
];

const started = performance.now();
try {
  // One snapshot of the committed dist/ for all, so every table measures the same bundles.
  const snap = snapshotDist();
  for (const [name, bench] of BENCHMARKS) {
    const t = performance.now();
    console.log(await bench({ snap }));
    console.log(`\n_${name}: ${((performance.now() - t) / 1000).toFixed(0)} s_\n`);
  }
} finally {
  removeTempDirs();
}
console.log(`_All benchmarks: ${((performance.now() - started) / 1000).toFixed(0)} s. BENCH_STARTUP_RUNS (default 40) and BENCH_REPS (default 5) set N._`);
