import { execFileSync } from 'node:child_process';

/** `git` in `cwd`, or undefined when it is not a checkout (or git is missing). */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}
