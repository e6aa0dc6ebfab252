import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, InputReader, detectEnvironment } from '@gantry/action-kit';
import { defaultLocalCacheDir } from '@gantry/cache';
import { STEP_NAMES, TOOLCHAIN_CHOICES } from '@gantry/integrate';
import type { IntegrateOptions, StepName } from '@gantry/integrate';

/** The action's settings: the library's options plus what only the action uses. */
export interface Inputs extends IntegrateOptions {
  annotations: boolean;
  jobSummary: boolean;
}

/**
 * Reads and validates every input before anything runs: a bad value fails
 * the step with one line naming the input, and no command has started.
 */
export function getInputs(reader = new InputReader(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const run = detectEnvironment(env);
  const workingDirectoryInput = reader.string('working-directory', '.');
  const workingDirectory = resolve(run.workspace, workingDirectoryInput);
  if (!isDirectory(workingDirectory)) {
    throw new InputError('working-directory', workingDirectoryInput, `an existing directory (${workingDirectory} is not one)`);
  }
  const skip = reader.list('skip');
  for (const step of skip) {
    if (!(STEP_NAMES as readonly string[]).includes(step)) {
      throw new InputError('skip', reader.raw('skip'), `step names from ${STEP_NAMES.join(', ')}`);
    }
  }
  const commands: Partial<Record<StepName, string>> = {};
  for (const step of STEP_NAMES) {
    const command = reader.optional(step);
    if (command) commands[step] = command;
  }
  return {
    workingDirectory,
    workspace: run.workspace,
    toolchain: reader.choice('toolchain', TOOLCHAIN_CHOICES, 'auto'),
    commands,
    skip: skip as StepName[],
    env: reader.map('env'),
    stepTimeoutMs: reader.duration('step-timeout', 30 * 60_000),
    cache: {
      enabled: reader.boolean('cache', true),
      keySuffix: reader.optional('cache-key-suffix'),
      localDir: resolve(run.workspace, reader.string('local-cache-dir', defaultLocalCacheDir(env))),
    },
    junitPatterns: reader.list('junit-reports'),
    coveragePatterns: reader.list('coverage-reports'),
    coverageThreshold: reader.number('coverage-threshold', undefined, { min: 0, max: 100 }),
    reportPath: join(run.runnerTemp, 'gantry', `integrate-report-${run.stepId}.json`),
    os: run.os,
    arch: run.arch,
    annotations: reader.boolean('annotations', true),
    jobSummary: reader.boolean('job-summary', true),
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
