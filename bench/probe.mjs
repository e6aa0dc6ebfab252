// The probe library against wrk on the same loopback server with a known latency (20 ms added):
// p50/p95/p99 side by side (target: within 10 %), the CPU the probe uses to hold 200 requests/s
// for 30 s (target: < 20 % of one core), and the time from an injected slowdown or outage to the
// first failing result (target for an outage: within two probe intervals).
// The library is TypeScript: it is bundled with ncc into a temp dir first, then imported.
import { fork, spawnSync } from 'node:child_process';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT, machine, removeTempDirs, tempDir } from './lib/env.mjs';
import { stats, table } from './lib/measure.mjs';

const SELF = fileURLToPath(import.meta.url);
const ADDED_MS = 20;
const SECONDS = Number(process.env.BENCH_PROBE_SECONDS || 30);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS || 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const REPS = Number(process.env.BENCH_REPS || 5);
// wrk cannot pace itself (closed loop): 4 connections at ~21 ms each send about the probe's 200 req/s, so both load the server alike.
const WRK_CONNECTIONS = 4;
const now = () => performance.timeOrigin + performance.now();

/** Child process: the target, answering after ADDED_MS; the parent injects faults over IPC. */
function serveTarget() {
  let delayMs = ADDED_MS;
  const server = http.createServer((req, res) => {
    req.resume();
    setTimeout(() => res.end('{"status":"ok"}'), delayMs);
  });
  const listen = (port, done) => server.listen(port, '127.0.0.1', done);
  listen(0, () => process.send({ port: server.address().port }));
  process.on('message', (m) => {
    if (m.delayMs !== undefined) delayMs = m.delayMs;
    if (m.down) {
      server.close();
      server.closeAllConnections();
    }
    const ack = () => process.send({ ack: m.id, at: now() });
    if (m.up && !server.listening) listen(server.address()?.port ?? m.port, ack);
    else ack();
    if (m.exit) process.exit(0);
  });
}

function startTarget() {
  const child = fork(SELF, ['--target-server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const control = (message) =>
    new Promise((resolve) => {
      const id = ++seq;
      const onMessage = (m) => {
        if (m.ack === id) {
          child.off('message', onMessage);
          resolve(m.at);
        }
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  return new Promise((resolve) => child.once('message', ({ port }) => resolve({ port, control, stop: () => child.kill() })));
}

async function bundleProbe() {
  const out = tempDir('probe-bundle');
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const run = spawnSync(process.execPath, [ncc, 'build', 'packages/probe/src/index.ts', '-o', out, '-q'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ncc could not bundle packages/probe: ${run.stderr}`);
  return import(pathToFileURL(join(out, 'index.js')).href);
}

/** wrk's latency percentiles (closed loop), read through a Lua done() hook, in ms. */
function wrkLatency(url) {
  const script = join(tempDir('wrk'), 'report.lua');
  writeFileSync(
    script,
    'done = function(summary, latency, requests)\n' +
      '  io.write(string.format("GANTRY %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, summary.requests))\n' +
      'end\n',
  );
  const run = spawnSync('wrk', ['-t1', `-c${WRK_CONNECTIONS}`, `-d${ROUND_SECONDS}s`, '-s', script, url], { encoding: 'utf8' });
  const line = /GANTRY (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(run.stdout ?? '');
  if (run.status !== 0 || !line) throw new Error(`wrk failed (${run.status ?? run.error}): ${run.stderr}`);
  const [p50, p95, p99, max] = line.slice(1, 5).map((us) => Number(us) / 1000);
  return { p50, p95, p99, max, requests: Number(line[5]) };
}

/** The probe at 200 req/s for `seconds`, with the process CPU it used. */
async function probeAt200(probe, url, seconds) {
  const checks = probe.parseChecks({ url });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await probe.runProbe(checks, { durationMs: seconds * 1000, rate: 200, concurrency: 10, timeoutMs: 2000 });
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { report, wall, cpuMs: (used.user + used.system) / 1000 };
}

/** Fault → first failing result, in ms, REPS times: rate 10/s (100 ms interval), max-latency 200ms. */
async function detection(probe, target, url, fault) {
  const checks = probe.parseChecks({ checks: `- url: ${url}\n  max-latency: 200ms` });
  const samples = [];
  for (let rep = 0; rep < REPS; rep++) {
    await target.control({ delayMs: ADDED_MS, up: true, port: target.port });
    let faultAt;
    let detectedAt;
    const running = probe.runProbe(checks, { durationMs: 3000, rate: 10, concurrency: 10, timeoutMs: 2000 }, {
      onResult: (r) => {
        if (!r.ok && faultAt !== undefined && detectedAt === undefined) detectedAt = now();
      },
    });
    // A random phase against the send schedule, as a real fault has.
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 100));
    faultAt = await target.control(fault);
    const report = await running;
    if (detectedAt === undefined) throw new Error(`no failing result after the fault ${JSON.stringify(fault)}: ${JSON.stringify(report.overall)}`);
    samples.push(detectedAt - faultAt);
  }
  await target.control({ delayMs: ADDED_MS, up: true, port: target.port });
  return stats(samples);
}

const fmt = (value) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;

export async function main() {
  const probe = await bundleProbe();
  const target = await startTarget();
  const url = `http://127.0.0.1:${target.port}/health`;
  try {
    await probeAt200(probe, url, 2); // warm-up: the first seconds of a fresh process run cold code
    // Rounds alternate wrk and the probe, so a burst of load on this shared machine falls on both.
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const wrkRound = wrkLatency(url);
      const probeRound = await probeAt200(probe, url, ROUND_SECONDS);
      rounds.push({ wrk: wrkRound, probe: probeRound.report.overall.latency, sent: probeRound.report.overall.requests });
    }
    const median = (pick) => stats(rounds.map(pick)).median;
    const wrk = Object.fromEntries(['p50', 'p95', 'p99'].map((p) => [p, median((r) => r.wrk[p])]));
    const latency = Object.fromEntries(['p50', 'p95', 'p99'].map((p) => [p, median((r) => r.probe[p])]));
    const { report, wall, cpuMs } = await probeAt200(probe, url, SECONDS);
    const slow = await detection(probe, target, url, { delayMs: 300 });
    const outage = await detection(probe, target, url, { down: true });
    const cpuPct = (cpuMs / wall) * 100;
    const within = ['p50', 'p95', 'p99'].every((p) => Math.abs(latency[p] - wrk[p]) / wrk[p] <= 0.1);
    const out = ['## Probe', '', `_${machine()}_`, ''];
    out.push(
      `Loopback server in a child process adding ${ADDED_MS} ms to every answer. ${ROUNDS} rounds, each wrk then the probe for ${ROUND_SECONDS} s; medians of the rounds' percentiles. ` +
        `wrk: closed loop, 1 thread, ${WRK_CONNECTIONS} connections (about the probe's 200 req/s at ~21 ms each; ${rounds.map((r) => r.wrk.requests).join(', ')} requests). ` +
        `Probe: open loop, 200 req/s, concurrency 10 (${rounds.map((r) => r.sent).join(', ')} requests), latency from the scheduled send time, so it includes the prober's own timer lateness.`,
      '',
      table(
        ['latency', 'probe median (rounds):', 'wrk median (rounds):', 'probe − wrk:'],
        ['p50', 'p95', 'p99'].map((p) => [
          p,
          `${fmt(latency[p])} (${rounds.map((r) => r.probe[p].toFixed(1)).join(', ')})`,
          `${fmt(wrk[p])} (${rounds.map((r) => r.wrk[p].toFixed(1)).join(', ')})`,
          pct(latency[p], wrk[p]),
        ]),
      ),
      '',
      `Within 10 % of wrk at p50, p95 and p99: ${within ? 'met' : 'not met'}.`,
      '',
      table(
        ['measure', 'value:', 'target'],
        [
          [`CPU to hold 200 req/s for ${SECONDS} s (user + system ÷ wall)`, `${cpuPct.toFixed(1)} % of one core (${(cpuMs / 1000).toFixed(2)} s over ${(wall / 1000).toFixed(1)} s)`, `< 20 %: ${cpuPct < 20 ? 'met' : 'not met'}`],
          [`latency in that run: p50 / p95 / p99 (${report.overall.requests} requests, ${report.overall.failures} failed)`, ['p50', 'p95', 'p99'].map((p) => fmt(report.overall.latency[p])).join(' / '), ''],
          ['self-overload during that run (late / dropped sends, max event-loop lag)', `${report.selfOverload.lateSends} / ${report.selfOverload.droppedSends}, ${report.selfOverload.maxLagMs} ms`, '0 / 0'],
        ],
      ),
      '',
      `Time from an injected fault to the first failing result; probe at 10 req/s (interval 100 ms), max-latency 200ms; N = ${REPS}, fault at a random phase.`,
      '',
      table(
        ['fault', 'median:', 'min–max:', 'median in intervals:', 'target'],
        [
          ['slowdown (+300 ms per answer)', fmt(slow.median), `${fmt(slow.min)}–${fmt(slow.max)}`, (slow.median / 100).toFixed(1), 'next send + the slow answer'],
          ['outage (listener closed, connections cut)', fmt(outage.median), `${fmt(outage.min)}–${fmt(outage.max)}`, (outage.median / 100).toFixed(1), `≤ 2 intervals: ${outage.max <= 200 ? 'met' : 'not met'}`],
        ],
      ),
    );
    return out.join('\n');
  } finally {
    target.stop();
  }
}

if (process.argv[2] === '--target-server') serveTarget();
else if (process.argv[1] === SELF) {
  try {
    console.log(await main());
  } finally {
    removeTempDirs();
  }
}
