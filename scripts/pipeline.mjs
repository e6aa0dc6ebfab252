#!/usr/bin/env node
// `npm run pipeline`: Gantry's delivery pipeline, locally, on examples/hello-node. Each stage is the
// committed action bundle run through `gantry run` exactly as the runner would; a stage that fails
// stops the pipeline with its exit code.
//   integrate → package-immutable-image (into an OCI layout) → (start the service) → smoke-monitor
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'examples', 'hello-node');
const gantry = join(root, 'packages', 'runner', 'bin', 'gantry.js');

function stage(title, action, inputs) {
  console.log(`\n━━ ${title} ━━`);
  const args = [gantry, 'run', action, '--workspace', root];
  for (const [key, value] of Object.entries(inputs)) args.push('--with', `${key}=${value}`);
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`\npipeline: ${title} failed (exit ${run.status})`);
    process.exit(run.status ?? 1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

stage('integrate', 'integrate', { 'working-directory': 'examples/hello-node' });

// No registry is needed locally: the image goes to an OCI layout, built twice to prove it reproducible.
const layout = mkdtempSync(join(tmpdir(), 'gantry-pipeline-image-'));
try {
  stage('package-immutable-image', 'package-immutable-image', {
    context: 'examples/hello-node/dist',
    'base-image': 'scratch',
    image: 'localhost/hello-node',
    workdir: '/app',
    cmd: 'node src/main.js',
    ports: '8080',
    push: 'false',
    'oci-layout': layout,
    'verify-reproducible': 'true',
  });
} finally {
  rmSync(layout, { recursive: true, force: true });
}

// Until the deploy stage exists, "deployed" means started here, on loopback.
const port = await freePort();
const service = spawn(process.execPath, ['src/main.js'], {
  cwd: app,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', APP_VERSION: 'pipeline' },
  stdio: 'ignore',
});
try {
  stage('smoke-monitor', 'smoke-monitor', {
    url: `http://127.0.0.1:${port}/healthz`,
    'wait-for-ready': '10s',
    duration: '5s',
    rate: '20',
    slo: 'availability >= 99.5%, p95 <= 300ms',
  });
} finally {
  service.kill();
}
console.log('\npipeline: every stage passed');
