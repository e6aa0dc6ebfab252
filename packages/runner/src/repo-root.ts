import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function hasActionsDir(dir: string): boolean {
  const candidate = join(dir, 'actions');
  return existsSync(candidate) && statSync(candidate).isDirectory();
}

/**
 * The Gantry repository root: the first directory, walking up from each
 * start in turn, that has an `actions/` directory. The default starts are
 * this module's directory (packages/runner/src, or dist/cli once bundled)
 * and the working directory.
 */
export function findRepoRoot(starts: string[] = [dirname(fileURLToPath(import.meta.url)), process.cwd()]): string | undefined {
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (hasActionsDir(dir)) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * Where `gantry run <action>` finds the action: a bare name is
 * `<repo root>/actions/<name>` when that exists; anything else is a path.
 */
export function resolveActionArgument(action: string, root: string | undefined = findRepoRoot()): string {
  if (/^[\w.-]+$/.test(action) && root) {
    const named = join(root, 'actions', action);
    if (existsSync(named)) return named;
  }
  return resolve(action);
}
