import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runnerArch, runnerOs } from '@gantry/action-kit/environment';
import type { ExpressionContext } from './expression';

const run = promisify(execFile);

/** Variables a real runner owns: removed from the parent env so local and CI runs see the same. */
const RUNNER_OWNED = /^(GITHUB_|INPUT_|STATE_|RUNNER_|ACTIONS_)/i;

/** The parent environment without runner-owned variables (and NODE_ICU_DATA, which the runner drops too). */
export function isolatedEnv(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || RUNNER_OWNED.test(key) || key === 'NODE_ICU_DATA') continue;
    env[key] = value;
  }
  return env;
}

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 10_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `owner/repo` from a remote URL (https, ssh or scp-like), when it has that shape. */
export function repositoryFromRemote(url: string): string | undefined {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF of the workspace's git repository, those that can be found. */
export async function gitEnv(workspace: string): Promise<Record<string, string>> {
  const [sha, ref, remote] = await Promise.all([
    git(workspace, ['rev-parse', '--verify', '-q', 'HEAD']),
    git(workspace, ['symbolic-ref', '-q', 'HEAD']),
    git(workspace, ['remote', 'get-url', 'origin']),
  ]);
  const env: Record<string, string> = {};
  const repository = remote ? repositoryFromRemote(remote) : undefined;
  if (repository) env.GITHUB_REPOSITORY = repository;
  if (sha) env.GITHUB_SHA = sha;
  if (ref) env.GITHUB_REF = ref;
  return env;
}

export interface StepEnvOptions {
  workspace: string;
  runnerTemp: string;
  toolCache: string;
  actionPath: string;
  git: Record<string, string>;
  extra: Record<string, string>;
}

/** The environment every phase starts from (before inputs, file commands and state). */
export function baseStepEnv(options: StepEnvOptions): Record<string, string> {
  return {
    ...isolatedEnv(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: options.runnerTemp,
    RUNNER_OS: runnerOs(),
    RUNNER_ARCH: runnerArch(),
    RUNNER_TOOL_CACHE: options.toolCache,
    GITHUB_ACTION_PATH: options.actionPath,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    ...options.git,
    ...options.extra,
  };
}

/**
 * Expression contexts from a step env: `github.x` is GITHUB_X, `runner.x`
 * is RUNNER_X (so `github.token` is GITHUB_TOKEN), `env` is the step's own env.
 */
export function expressionContext(
  stepEnv: Record<string, string>,
  extra: Record<string, string>,
  status: ExpressionContext['status'],
): ExpressionContext {
  const github: Record<string, string> = {};
  const runner: Record<string, string> = {};
  for (const [key, value] of Object.entries(stepEnv)) {
    if (key.startsWith('GITHUB_')) github[key.slice(7).toLowerCase()] = value;
    else if (key.startsWith('RUNNER_')) runner[key.slice(7).toLowerCase()] = value;
  }
  return { contexts: { github, runner, env: { ...extra } }, status };
}
