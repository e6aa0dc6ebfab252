import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'gantry-dist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

test('the committed dist/ is what `npm run bundle` produces', { timeout: 300_000 }, () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
  const built = files(out);
  const committed = files(join(root, 'dist'));
  const fix = 'dist/ is stale: run `npm run bundle` and commit dist/';
  expect(committed, fix).toEqual(built);
  for (const file of built) {
    const same = readFileSync(join(out, file)).equals(readFileSync(join(root, 'dist', file)));
    expect(same, `${fix} (${relative(root, join(root, 'dist', file))} differs)`).toBe(true);
  }
});
