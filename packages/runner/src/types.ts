/** Which of an action's `runs` scripts a process belongs to. */
export type Phase = 'pre' | 'main' | 'post';

/** One annotation made with `::error`, `::warning` or `::notice`. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** How one phase's process ended and what it printed (masked). */
export interface PhaseResult {
  phase: Phase;
  exitCode: number;
  durationMs: number;
  stdout: string;
  stderr: string;
}

/** Everything a run of an action produced, as the runner would have seen it. */
export interface ActionRun {
  /** The first non-zero exit code among the phases that ran, else 0. */
  exitCode: number;
  outcome: 'success' | 'failure';
  phases: PhaseResult[];
  outputs: Record<string, string>;
  /** Every phase's step summary, concatenated in phase order. */
  summary: string;
  annotations: Annotation[];
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  /** GITHUB_PATH entries in the order they were written. */
  addedPath: string[];
  masks: string[];
  /** stdout of all phases, masked. */
  stdout: string;
  /** The harness's (and runner's) own warnings, e.g. unexpected inputs. */
  warnings: string[];
}

export interface RunActionOptions {
  /** Directory holding action.yml (or action.yaml), or the path of that file. */
  action: string;
  /** Inputs by their action.yml names (matched case-insensitively, as the runner does). */
  inputs?: Record<string, string>;
  /** Extra environment for the step; applied last, so it may override anything. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and the working directory; default process.cwd(). */
  workspace?: string;
  /** RUNNER_TEMP; default a fresh temporary directory removed afterwards. */
  runnerTemp?: string;
  /** Keep the fresh temporary directory (for debugging). */
  keepTemp?: boolean;
  /** 'auto' (default): the Node matching runs.using; 'local': this process's Node; or a path to a node binary. */
  node?: 'auto' | 'local' | (string & {});
  /** Per-phase limit; a phase still running is killed and fails the step. */
  timeoutMs?: number;
  /** Called for every output line (unmasked commands included, secrets masked) as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr', phase: Phase) => void;
}
