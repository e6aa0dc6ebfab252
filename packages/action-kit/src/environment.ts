/**
 * Where an action is running. `github` only when a real runner started it:
 * the runner always hands node actions ACTIONS_RUNTIME_TOKEN, which local
 * runs (the Gantry harness included) never have. Services are detected one
 * by one on top of this, because a self-hosted or local run can have some.
 */
export interface RunEnvironment {
  onGitHub: boolean;
  /** Human words for summaries: "GitHub Actions runner" or "local run". */
  description: string;
  workspace: string;
  runnerTemp: string;
  /** The step's id (GITHUB_ACTION) made safe for a file name, `local` off a runner: keeps one step's files from another's. */
  stepId: string;
  os: string;
  arch: string;
  repository?: string;
  sha?: string;
  ref?: string;
  serverUrl: string;
  runUrl?: string;
}

export function detectEnvironment(env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  const onGitHub = env.GITHUB_ACTIONS === 'true' && Boolean(env.ACTIONS_RUNTIME_TOKEN);
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl =
    env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return {
    onGitHub,
    description: onGitHub ? 'GitHub Actions runner' : 'local run',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || (env.TMPDIR ?? '/tmp'),
    stepId: (env.GITHUB_ACTION || 'local').replace(/[^A-Za-z0-9_.-]/g, '_'),
    os: env.RUNNER_OS || runnerOs(process.platform),
    arch: env.RUNNER_ARCH || runnerArch(process.arch),
    repository: env.GITHUB_REPOSITORY || undefined,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    serverUrl,
    runUrl,
  };
}

/** The runner's RUNNER_OS spelling for a Node platform. */
export function runnerOs(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : 'Linux';
}

/** The runner's RUNNER_ARCH spelling for a Node architecture. */
export function runnerArch(arch: string = process.arch): string {
  return ({ x64: 'X64', arm64: 'ARM64', arm: 'ARM', ia32: 'X86' } as Record<string, string>)[arch] ?? arch.toUpperCase();
}
