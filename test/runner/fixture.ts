import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/** Temporary directories made by a test file, removed by `cleanup()`. */
const made: string[] = [];

export function tempDir(prefix = 'gantry-runner-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes a fixture action: `action` is the action.yml document, `files`
 * its scripts (plain ESM JavaScript). Returns the action directory.
 */
export function writeAction(action: Record<string, unknown>, files: Record<string, string>, dir = tempDir()): string {
  writeFileSync(join(dir, 'action.yml'), stringify(action));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Script prelude: helpers writing file commands directly, as an action without @actions/core would. */
export const PRELUDE = `
import { appendFileSync } from 'node:fs';
const put = (variable, text) => appendFileSync(process.env[variable], text);
`;
