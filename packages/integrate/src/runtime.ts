import { spawnSync } from 'node:child_process';

/**
 * The runtime version the steps will use — the one on PATH, not the Node
 * running this action — as a short token for cache keys, e.g. `node24.1.0`, `python3.11.7`, `rust1.95.0`.
 */
export function runtimeVersion(language: string, command: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const [file, ...args] = command as [string, ...string[]];
  const run = spawnSync(file, args, { cwd, env, encoding: 'utf8', timeout: 30_000 });
  const text = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
  const version = /\d+\.\d+(\.\d+)?([-+.\w]*)?/.exec(text)?.[0];
  return `${language}${version ?? '-unknown'}`;
}
