export const STEP_NAMES = ['install', 'lint', 'build', 'test'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const TOOLCHAIN_IDS = ['npm', 'pnpm', 'yarn', 'uv', 'poetry', 'pip', 'go', 'cargo', 'maven', 'gradle'] as const;
export type ToolchainId = (typeof TOOLCHAIN_IDS)[number];
export type Language = 'node' | 'python' | 'go' | 'rust' | 'java';

/** What the `toolchain` input accepts: a language picks its package manager from the files. */
export const TOOLCHAIN_CHOICES = ['auto', 'node', 'python', 'rust', 'java', ...TOOLCHAIN_IDS] as const;
export type ToolchainChoice = (typeof TOOLCHAIN_CHOICES)[number];

/** A step as planned: the command to run, or why it will not run. */
export interface PlannedStep {
  name: StepName;
  command?: string;
  /** Why the step does not run (no script, skipped by input, restored from cache). */
  skipReason?: string;
  /** Where the command came from. */
  origin: 'default' | 'input';
}

export interface StepResult {
  name: StepName;
  command?: string;
  status: 'success' | 'failure' | 'timed-out' | 'skipped' | 'not-run';
  exitCode?: number;
  durationMs: number;
  reason?: string;
  /** Last lines of output, for the report and the failure message. */
  outputTail?: string;
}
