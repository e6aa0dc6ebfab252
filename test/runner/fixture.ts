import { stringify } from 'yaml';
import { TempDirs, writeFiles } from '../support/temp';

/** Temporary directories made by a test file, removed by `cleanup()`. */
const temps = new TempDirs();

export function tempDir(prefix = 'gantry-runner-test-'): string {
  return temps.make(prefix);
}

export function cleanup(): void {
  temps.cleanup();
}

/**
 * Writes a fixture action: `action` is the action.yml document, `files`
 * its scripts (plain ESM JavaScript). Returns the action directory.
 */
export function writeAction(action: Record<string, unknown>, files: Record<string, string>, dir = tempDir()): string {
  writeFiles(dir, { 'action.yml': stringify(action), ...files });
  return dir;
}

/** Script prelude: helpers writing file commands directly, as an action without @actions/core would. */
export const PRELUDE = `
import { appendFileSync } from 'node:fs';
const put = (variable, text) => appendFileSync(process.env[variable], text);
`;
