// package-immutable-image against buildah, side by side on one local registry (CNCF distribution,
// loopback, temp storage), for the same app (examples/hello-node plus a node_modules tree of small
// files) on the same busybox base pushed to that registry:
// - build + push into a fresh repository: wall time, median of N, and the ratio (target ≥ 3×);
// - a rebuild after one source file changed: what was uploaded, counted by a proxy in front of the
//   registry (target: the changed layer, the config and the manifest only);
// - builds at different times in different directories: digests equal (target: 100 %); across runs
//   of this script they differ, as the base's name (with the registry's random port) is recorded.
// Gantry runs as a Node 24 child process per build, over its libraries (@gantry/image buildImage,
// @gantry/publish publishImage) bundled with ncc, or the action's bundle once dist/ has it.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE24, ROOT, actionEnv, machine, readOutputs, removeTempDirs, snapshotDist, tempDir } from './lib/env.mjs';
import { spread, stats, table } from './lib/measure.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPS = Number(process.env.BENCH_REPS || 5);
const PACKAGES = Number(process.env.BENCH_PACKAGE_MODULES || 150);
const EPOCH = 1_700_000_000;
const ACTION = 'package-immutable-image';

/** Child mode: one Gantry build + push through the bundled libraries; prints the result as JSON. */
async function gantryChild(spec) {
  const load = (name) => import(pathToFileURL(join(spec.bundles, name, 'index.js')).href);
  const [oci, image, publish] = await Promise.all([load('oci'), load('image'), load('publish')]);
  // performance.now() counts from process start: Node's own start-up is in `loaded`.
  const loaded = performance.now();
  const client = new oci.RegistryClient({ registry: spec.registry });
  const base = publish.registryBaseSource(client, oci.parseReference(spec.base), { tempDir: spec.work });
  const built = await image.buildImage(
    { context: spec.context, sourceDateEpoch: EPOCH, blobDir: join(spec.work, 'blobs'), split: spec.split, workdir: '/app', cmd: ['node', 'src/main.js'] },
    base,
  );
  const builtAt = performance.now();
  const pushed = await publish.publishImage(built, { client, repository: spec.repository, tags: [spec.tag] });
  const phases = { startAndLoad: loaded, build: builtAt - loaded, push: performance.now() - builtAt };
  process.stdout.write(JSON.stringify({ digest: built.digest, bytesUploaded: pushed.bytesUploaded, layersUploaded: pushed.layersUploaded, phases }));
}

function bundleLibraries() {
  const out = tempDir('package-bundles');
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  for (const name of ['oci', 'image', 'publish']) {
    const run = spawnSync(process.execPath, [ncc, 'build', `packages/${name}/src/index.ts`, '-o', join(out, name), '-q', '-t'], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`ncc could not bundle packages/${name}: ${run.stderr}`);
  }
  return out;
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `docker-registry serve` on a free loopback port with temp storage, no auth. */
async function startRegistry() {
  const dir = tempDir('registry');
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'storage')}\n` +
      `http:\n  addr: 127.0.0.1:${port}\n  secret: gantry-bench\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/v2/`).then((r) => r.ok, () => false)) return { host: `127.0.0.1:${port}`, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('docker-registry did not start');
}

/**
 * A proxy in front of the registry that counts what clients upload: blob bytes (POST/PATCH/PUT
 * under /blobs/uploads/), completed blobs (PUT ?digest=), mounts, and manifest PUTs. It keeps the
 * Host header, so the registry's upload Locations point back at it.
 */
async function startCountingProxy(targetHost) {
  const [hostname, port] = targetHost.split(':');
  const counts = { blobBytes: 0, blobs: [], mounts: 0, manifests: 0, manifestBytes: 0 };
  const server = http.createServer((req, res) => {
    const upload = req.url.includes('/blobs/uploads/');
    const manifest = req.method === 'PUT' && req.url.includes('/manifests/');
    const url = new URL(req.url, 'http://x');
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    const out = http.request({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (answer.statusCode < 300) {
        if (upload) counts.blobBytes += bytes;
        if (upload && req.method === 'PUT' && url.searchParams.get('digest')) counts.blobs.push(url.searchParams.get('digest'));
        if (upload && req.method === 'POST' && url.searchParams.get('mount') && answer.statusCode === 201) counts.mounts++;
        if (manifest) {
          counts.manifests++;
          counts.manifestBytes += bytes;
        }
      }
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  const proxyPort = await freePort();
  await new Promise((resolve) => server.listen(proxyPort, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${proxyPort}`,
    take() {
      const taken = { ...counts, blobs: [...counts.blobs] };
      Object.assign(counts, { blobBytes: 0, blobs: [], mounts: 0, manifests: 0, manifestBytes: 0 });
      return taken;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Deterministic text that compresses like real code does not: hex of chained sha256, in lines. */
function noise(seed, bytes) {
  let out = '';
  let block = seed;
  while (out.length < bytes) {
    block = createHash('sha256').update(block).digest('hex');
    out += `${block}\n`;
  }
  return out.slice(0, bytes);
}

/** hello-node's sources plus PACKAGES fake dependencies (package.json, index.js, lib/util.js, README.md each, 0.5–4 kB). */
function makeApp(dir) {
  const example = join(ROOT, 'examples', 'hello-node');
  for (const part of ['src', 'package.json', 'package-lock.json', 'README.md']) cpSync(join(example, part), join(dir, part), { recursive: true });
  for (let i = 0; i < PACKAGES; i++) {
    const pkg = join(dir, 'node_modules', `dep-${String(i).padStart(3, '0')}`);
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `dep-${i}`, version: `1.${i}.0`, main: 'index.js' }, null, 2));
    writeFileSync(join(pkg, 'index.js'), `'use strict';\nmodule.exports = require('./lib/util');\n/*\n${noise(`index-${i}`, 500 + (i % 7) * 300)}*/\n`);
    writeFileSync(join(pkg, 'lib', 'util.js'), `exports.id = ${i};\nexports.text = ${JSON.stringify(noise(`util-${i}`, 1000 + (i % 13) * 230))};\n`);
    writeFileSync(join(pkg, 'README.md'), `# dep-${i}\n\n${noise(`readme-${i}`, 500 + (i % 5) * 400)}\n`);
  }
  return dir;
}

/** A copy of the app in a new directory with every mtime set to `mtime` (another checkout, another time). */
function copyApp(app, label, mtime) {
  const dir = join(tempDir(label), 'app');
  cpSync(app, dir, { recursive: true });
  const touch = (path) => {
    for (const entry of spawnSync('find', [path], { encoding: 'utf8' }).stdout.trim().split('\n')) utimesSync(entry, mtime, mtime);
  };
  touch(dir);
  return dir;
}

/**
 * `single`: what the action builds, the context as one layer in /app. `split`: the same split as
 * Gantry's `dependencies` layers (node_modules and the lockfile first, then the app), as a Dockerfile
 * author would write it for layer reuse.
 */
function dockerfile(dir, base, kind) {
  const path = join(dir, `Dockerfile.${kind}`);
  const copies =
    kind === 'single' ? 'COPY . /app/\n' : 'COPY package-lock.json /app/\nCOPY node_modules/ /app/node_modules/\nCOPY package.json README.md /app/\nCOPY src/ /app/src/\n';
  writeFileSync(path, `FROM ${base}\nWORKDIR /app\n${copies}CMD ["node", "src/main.js"]\n`);
  return path;
}

function buildahEnv(label) {
  const dir = tempDir(label);
  writeFileSync(join(dir, 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n');
  writeFileSync(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`);
  return { ...process.env, CONTAINERS_CONF: join(dir, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf') };
}

/** buildah build (one layer per COPY, reproducible flags) then buildah push; returns the pushed digest and the time. */
async function buildahRun(env, { context, file, registry, repository, tag, cache }) {
  const started = performance.now();
  const name = `localhost/bench/${repository}:${tag}`;
  const build = await exec(
    'buildah',
    ['build', '--quiet', '--layers', ...(cache ? [] : ['--no-cache']), '--timestamp', String(EPOCH), '--identity-label=false', '--tls-verify=false', '-f', file, '-t', name, context],
    { env },
  );
  if (build.status !== 0) throw new Error(`buildah build failed: ${build.stderr}`);
  const digestFile = join(tempDir('digest'), 'digest');
  const push = await exec('buildah', ['push', '--quiet', '--tls-verify=false', '--digestfile', digestFile, name, `docker://${registry}/${repository}:${tag}`], { env });
  if (push.status !== 0) throw new Error(`buildah push failed: ${push.stderr}`);
  return { ms: performance.now() - started, digest: readFileSync(digestFile, 'utf8').trim() };
}

/** One Gantry build + push in a fresh Node 24 process: the library bundles, or the action's bundle when dist/ has it. */
async function gantryRun(mode, { context, registry, repository, tag, base, split = 'single', dockerfile: file }) {
  const work = tempDir('gantry-work');
  const started = performance.now();
  if (mode.action && split === 'single') {
    // Dockerfile mode: the action runs buildah (its own temporary storage), then pushes like any image.
    const how = file ? { dockerfile: file, 'insecure-registries': registry } : { 'base-image': base, cmd: 'node src/main.js' };
    const { env, files } = actionEnv(join(ROOT, 'actions', ACTION), {
      workspace: context,
      inputs: { context, ...how, image: `${registry}/${repository}`, tags: tag, 'source-date-epoch': String(EPOCH), sbom: 'false', provenance: 'false', attest: 'false' },
      extra: { RUNNER_TEMP: work },
    });
    const run = await exec(NODE24, [mode.action], { env, cwd: context });
    const outputs = readOutputs(files.GITHUB_OUTPUT);
    if (run.status !== 0 || !outputs.digest) throw new Error(`the action failed: ${run.stdout}\n${run.stderr}`);
    return { ms: performance.now() - started, digest: outputs.digest, bytesUploaded: Number(outputs['bytes-uploaded']), layersUploaded: Number(outputs['layers-uploaded']) };
  }
  const spec = { bundles: mode.bundles, context, registry, repository, tag, base, work, split };
  const run = await exec(NODE24, [SELF, '--gantry-child', JSON.stringify(spec)]);
  if (run.status !== 0) throw new Error(`gantry build failed: ${run.stderr}`);
  return { ms: performance.now() - started, ...JSON.parse(run.stdout) };
}

/** The busybox base, assembled by Gantry and pushed once: both tools build FROM it by digest. */
function pushBase(mode, registry) {
  const context = tempDir('base');
  mkdirSync(join(context, 'bin'));
  cpSync('/bin/busybox', join(context, 'bin', 'busybox'));
  const spec = { bundles: mode.bundles, context, registry, repository: 'base', tag: 'busybox', base: 'scratch', work: tempDir('base-work') };
  const source = `const spec = ${JSON.stringify(spec)};
    const load = (n) => import(${JSON.stringify(pathToFileURL(mode.bundles).href)} + '/' + n + '/index.js');
    const [oci, image, publish] = await Promise.all([load('oci'), load('image'), load('publish')]);
    const client = new oci.RegistryClient({ registry: spec.registry });
    const built = await image.buildImage({ context: spec.context, destination: '/', sourceDateEpoch: 1600000000, blobDir: spec.work, env: { PATH: '/bin' } }, image.scratch);
    await publish.publishImage(built, { client, repository: 'base', tags: ['busybox'] });
    process.stdout.write(built.digest);`;
  const run = spawnSync(NODE24, ['--input-type=module', '-e', source], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`could not push the base: ${run.stderr}`);
  return `${registry}/base@${run.stdout.trim()}`;
}

/** spawn, collected: the parent's event loop keeps running (the counting proxy lives in it). */
function exec(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} kB`;

/** v1, then v2 with one source file changed, into one repository through the counting proxy: what v2 uploaded. */
async function rebuild(proxy, label, run) {
  await run('v1', 'app');
  proxy.take();
  const v2 = await run('v2', 'changed');
  return { ...proxy.take(), digest: v2.digest, reported: v2 };
}

/** The tables; `snap` is run.mjs's one snapshot of the committed dist/ (made here when absent). */
export async function main({ snap = snapshotDist() } = {}) {
  const actionBundle = join(snap.dir, ACTION, 'index.js');
  const bundles = bundleLibraries();
  const mode = existsSync(actionBundle) ? { action: actionBundle, bundles } : { bundles };
  const registry = await startRegistry();
  const proxy = await startCountingProxy(registry.host);
  try {
    const base = pushBase(mode, registry.host);
    const app = makeApp(join(tempDir('app'), 'app'));
    const dir = tempDir('dockerfile');
    const single = dockerfile(dir, base, 'single');
    const split = dockerfile(dir, base, 'split');
    const env = buildahEnv('buildah');
    const at = (host) => ({ registry: host, base });
    // Warm-up, not counted: buildah pulls the base into its storage; Node and the page cache warm up.
    await buildahRun(env, { context: app, file: single, ...at(registry.host), repository: 'warm-buildah', tag: 'v0', cache: false });
    await gantryRun(mode, { context: app, ...at(registry.host), repository: 'warm-gantry', tag: 'v0' });

    const times = { gantry: [], library: [], dockerfile: [], buildah: [] };
    const phases = [];
    for (let i = 0; i < REPS; i++) {
      times.gantry.push((await gantryRun(mode, { context: app, ...at(registry.host), repository: `gantry-${i}`, tag: 'v1' })).ms);
      const library = await gantryRun({ bundles }, { context: app, ...at(registry.host), repository: `library-${i}`, tag: 'v1' });
      times.library.push(library.ms);
      phases.push(library.phases);
      times.buildah.push((await buildahRun(env, { context: app, file: single, ...at(registry.host), repository: `buildah-${i}`, tag: 'v1', cache: false })).ms);
      if (mode.action) times.dockerfile.push((await gantryRun(mode, { context: app, ...at(registry.host), repository: `dockerfile-${i}`, tag: 'v1', dockerfile: single })).ms);
    }
    const g = stats(times.gantry);
    const b = stats(times.buildah);

    const contexts = { app, changed: copyApp(app, 'changed', 1_000) };
    writeFileSync(join(contexts.changed, 'src', 'greet.js'), `${readFileSync(join(contexts.changed, 'src', 'greet.js'), 'utf8')}\n// changed\n`);
    const up = {
      gantry: await rebuild(proxy, 'gantry', (tag, c) => gantryRun(mode, { context: contexts[c], ...at(proxy.host), repository: 'rebuild-gantry', tag })),
      buildah: await rebuild(proxy, 'buildah', (tag, c) => buildahRun(env, { context: contexts[c], file: single, ...at(proxy.host), repository: 'rebuild-buildah', tag, cache: true })),
      gantrySplit: await rebuild(proxy, 'gantry-split', (tag, c) => gantryRun(mode, { context: contexts[c], ...at(proxy.host), repository: 'rebuild-gantry-split', tag, split: 'dependencies' })),
      buildahSplit: await rebuild(proxy, 'buildah-split', (tag, c) => buildahRun(env, { context: contexts[c], file: split, ...at(proxy.host), repository: 'rebuild-buildah-split', tag, cache: true })),
    };

    // Reproducibility: REPS builds each, in different directories, a day of mtimes apart, over a second apart, fresh blob dirs and storage.
    const digests = { gantry: new Set(), buildah: new Set() };
    for (let i = 0; i < REPS; i++) {
      const context = copyApp(app, `repro-${i}`, 1_000_000 + i * 86_400);
      digests.gantry.add((await gantryRun(mode, { context, ...at(registry.host), repository: `repro-gantry-${i}`, tag: 'v1' })).digest);
      digests.buildah.add((await buildahRun(buildahEnv(`buildah-repro-${i}`), { context, file: single, ...at(registry.host), repository: `repro-buildah-${i}`, tag: 'v1', cache: false })).digest);
      await new Promise((r) => setTimeout(r, 1_100));
    }
    const ratio = (s) => (s.median <= b.median ? `${(b.median / s.median).toFixed(1)}× faster` : `${(s.median / b.median).toFixed(1)}× slower`);
    const phase = (name) => `${Math.round(stats(phases.map((p) => p[name])).median)} ms`;
    const repro = (set) => (set.size === 1 ? `${REPS}/${REPS} equal (${[...set][0].slice(0, 19)}…)` : `${set.size} different digests in ${REPS} builds`);
    const files = spawnSync('find', [app, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
    const size = spawnSync('du', ['-sb', app], { encoding: 'utf8' }).stdout.split('\t')[0];
    const buildahVersion = spawnSync('buildah', ['--version'], { encoding: 'utf8' }).stdout.trim();
    const gantryMode = mode.action
      ? `the action's committed bundle (dist/${ACTION} at ${snap.commit}${snap.dirty ? ', working tree differs' : ''}; sbom, provenance and attest off, as buildah makes none)`
      : 'the @gantry/image + @gantry/publish libraries bundled with ncc (no action bundle in dist/)';
    const uploaded = (u) => `${u.blobs.length} blobs, ${kb(u.blobBytes)}; ${u.manifests} manifest PUTs, ${kb(u.manifestBytes)}`;
    const versus = (a, c) => (a.blobBytes <= c.blobBytes ? `${kb(c.blobBytes - a.blobBytes)} less` : `${kb(a.blobBytes - c.blobBytes)} more`);
    return [
      `## package-immutable-image vs buildah (${files} files, ${(Number(size) / 1e6).toFixed(2)} MB of app content on a busybox base, one local registry)`,
      '',
      `_${machine()}. Gantry: ${gantryMode}, a Node 24 process per build. ${buildahVersion}: vfs storage kept between builds (the base pulled once: its best case), \`--layers --timestamp --identity-label=false\`, \`buildah push\`. N = ${REPS}._`,
      '',
      table(
        ['Measure', 'Gantry', 'buildah', 'Gantry vs buildah', 'Target'],
        [
          ['build + push to a fresh repository (one app layer; buildah `COPY . /app/`, `--no-cache`)', spread(g), spread(b), ratio(g), '≥ 3× faster'],
          ...(mode.action
            ? [
                ['same, Gantry through its libraries (buildImage + publishImage in a Node 24 process, no action)', spread(stats(times.library)), spread(b), ratio(stats(times.library)), ''],
                ['same, the action in Dockerfile mode (buildah with a fresh storage inside, then its push)', spread(stats(times.dockerfile)), spread(b), ratio(stats(times.dockerfile)), ''],
              ]
            : []),
          ['rebuild after changing src/greet.js, one app layer: uploaded', uploaded(up.gantry), uploaded(up.buildah), versus(up.gantry, up.buildah), 'changed layer + config + manifest'],
          ['same, dependencies split (Gantry `split: dependencies` via the library; buildah 4 COPYs, layer cache)', uploaded(up.gantrySplit), uploaded(up.buildahSplit), versus(up.gantrySplit, up.buildahSplit), 'changed layer + config + manifest'],
          ['same source, different dirs and times: digests', repro(digests.gantry), repro(digests.buildah), '', '100 % equal'],
        ],
      ),
      '',
      `_Uploads counted by a proxy in front of the registry: bodies of completed blob uploads, and manifest PUTs (Gantry puts the manifest by digest, then the tag; buildah by tag). Gantry's own count for the rebuilds: ${up.gantry.reported.layersUploaded} and ${up.gantrySplit.reported.layersUploaded} layer(s) uploaded. Times include process start-up._`,
      '',
      `_Where the library run's time goes (medians): Node start and loading the bundles ${phase('startAndLoad')}, build (resolve the base, scan, tar, gzip with fflate) ${phase('build')}, push (blobs, manifest, tag) ${phase('push')}._`,
    ].join('\n');
  } finally {
    await proxy.stop();
    registry.stop();
  }
}

if (process.argv[2] === '--gantry-child') {
  await gantryChild(JSON.parse(process.argv[3]));
} else if (process.argv[1] === SELF) {
  try {
    console.log(await main());
  } finally {
    removeTempDirs();
  }
}
