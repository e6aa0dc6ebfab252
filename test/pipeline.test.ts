import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');

test('the README main job, `npm run pipeline`, passes every stage on the example', { timeout: 180_000 }, () => {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'pipeline.mjs')], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('━━ integrate ━━');
  expect(run.stdout).toMatch(/tests-passed=11\n/);
  expect(run.stdout).toContain('━━ package-immutable-image ━━');
  expect(run.stdout).toMatch(/Reproducible: a second build in another directory gave the same digest sha256:[0-9a-f]{64}/);
  expect(run.stdout).toMatch(/digest=sha256:[0-9a-f]{64}\n/);
  expect(run.stdout).toContain('━━ smoke-monitor ━━');
  expect(run.stdout).toContain('status=pass');
  expect(run.stdout).toContain('pipeline: every stage passed');
});
