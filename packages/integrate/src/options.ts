import type { StepName, ToolchainChoice } from './types';

/** Everything `integrate` needs, already parsed and validated. */
export interface IntegrateOptions {
  /** Absolute path of the project. */
  workingDirectory: string;
  /** Root that annotation paths are made relative to (GITHUB_WORKSPACE). */
  workspace: string;
  toolchain: ToolchainChoice;
  /** Commands replacing the toolchain's defaults. */
  commands: Partial<Record<StepName, string>>;
  skip: StepName[];
  env: Record<string, string>;
  stepTimeoutMs: number;
  cache: { enabled: boolean; keySuffix?: string; localDir: string };
  junitPatterns: string[];
  coveragePatterns: string[];
  /** Percent, 0..100. */
  coverageThreshold?: number;
  /** Where the JSON report goes. */
  reportPath: string;
  os: string;
  arch: string;
}
