// Timing, statistics and table helpers shared by the benchmarks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Median, min, max and N of a list of milliseconds. */
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** "123 ms" with no decimals above 100 ms, one below (start-up figures need it). */
export function ms(value) {
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ms`;
}

/** "median (min–max)" of a stats() result. */
export function spread(s) {
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}

/** 1 234 567 bytes as "1.23 MB" (SI, as the targets are stated). */
export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** A markdown table; columns whose header ends with ':' are right-aligned (the ':' is dropped). */
export function table(headers, rows) {
  const right = headers.map((h) => h.endsWith(':'));
  const names = headers.map((h) => (h.endsWith(':') ? h.slice(0, -1) : h));
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(names), line(right.map((r) => (r ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** True when hyperfine is on PATH. */
export function hasHyperfine() {
  return spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Wall time of one spawn, in ms; throws when the command fails (a failed run is no measurement). */
export function timeSpawn(file, args, options) {
  const started = process.hrtime.bigint();
  const run = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
  }
  return { ms: elapsed, stdout: run.stdout };
}

/**
 * Start-to-exit times of several commands (arrays of words, run without a shell) measured
 * with hyperfine in `rounds` rounds of runs/rounds runs each, all commands per round: on a
 * shared machine a burst of load then hits every command alike instead of one block. The
 * raw times of all rounds are pooled. Falls back to a loop of spawns when hyperfine is
 * missing; `tool` says which measured. Every command must exit 0.
 */
export function compareStartup(commands, { runs, warmup, rounds = 4, env, cwd }) {
  const perRound = Math.ceil(runs / rounds);
  const times = commands.map(() => []);
  const useHyperfine = hasHyperfine();
  for (let round = 0; round < rounds; round++) {
    const measured = useHyperfine ? hyperfineRound(commands, perRound, warmup, env, cwd) : spawnRound(commands, perRound, warmup, env, cwd);
    measured.forEach((t, i) => times[i].push(...t));
  }
  const tool = useHyperfine
    ? `${spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).stdout.trim()} (-N, no shell), ${rounds} rounds of ${perRound} runs after ${warmup} warm-up runs each`
    : `a loop of spawnSync (**hyperfine is not installed**), ${rounds} rounds of ${perRound} runs`;
  const results = commands.map(({ name }, i) => ({ name, ...stats(times[i]), mean: times[i].reduce((a, b) => a + b, 0) / times[i].length }));
  return { tool, results };
}

function spawnRound(commands, runs, warmup, env, cwd) {
  return commands.map(({ argv }) => {
    for (let i = 0; i < warmup; i++) timeSpawn(argv[0], argv.slice(1), { env, cwd });
    return Array.from({ length: runs }, () => timeSpawn(argv[0], argv.slice(1), { env, cwd }).ms);
  });
}

function hyperfineRound(commands, runs, warmup, env, cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-bench-hf-'));
  const exported = join(dir, 'results.json');
  const args = ['-N', '--style', 'none', '--runs', String(runs), '--warmup', String(warmup), '--export-json', exported];
  for (const { name, argv } of commands) args.push('-n', name, argv.map(quote).join(' '));
  const run = spawnSync('hyperfine', args, { env, cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hyperfine failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const data = JSON.parse(readFileSync(exported, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return data.results.map((r) => r.times.map((t) => t * 1000));
}

/** hyperfine -N splits on whitespace and honours quotes; paths here have no spaces, but be safe. */
function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
