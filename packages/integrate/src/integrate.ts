import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@gantry/action-kit';
import { collectCoverage, collectTests, snapshotReports } from './collect';
import type { CollectedCoverage, CollectedTests } from './collect';
import { DependencyCache } from './cache';
import type { CacheReport } from './cache';
import type { IntegrateOptions } from './options';
import { runtimeVersion } from './runtime';
import { runStep } from './steps';
import type { StepOutput } from './steps';
import { describeToolchain, detectToolchain } from './toolchains';
import type { Toolchain } from './toolchains';
import { STEP_NAMES } from './types';
import type { Language, PlannedStep, StepResult, ToolchainId } from './types';

export interface IntegrateResult {
  result: 'success' | 'failure';
  /** One line saying why the run failed. */
  failure?: string;
  toolchain: ToolchainId;
  language: Language;
  runtime: string;
  workingDirectory: string;
  cache: CacheReport;
  steps: StepResult[];
  tests: Omit<CollectedTests, 'suites'> & { suites: CollectedTests['suites'] };
  coverage: CollectedCoverage & { threshold?: number };
  durationMs: number;
}

/** The steps to run, from the toolchain's defaults, the user's commands and skips. */
export function planSteps(toolchain: Toolchain, options: Pick<IntegrateOptions, 'commands' | 'skip'>): PlannedStep[] {
  return STEP_NAMES.map((name): PlannedStep => {
    if (options.skip.includes(name)) return { name, origin: 'input', skipReason: 'skipped by the "skip" input' };
    const given = options.commands[name];
    if (given) return { name, origin: 'input', command: given };
    const command = toolchain.steps[name];
    return command ? { name, origin: 'default', command } : { name, origin: 'default', skipReason: toolchain.skipReasons[name] ?? 'no default command' };
  });
}

/**
 * Continuous integration of one project: detect, restore the cache, run
 * install → lint → build → test (stopping at the first failure), save the
 * cache after a successful install, then read test and coverage reports.
 */
export async function integrate(options: IntegrateOptions, logger: Logger, output: StepOutput): Promise<IntegrateResult> {
  const started = performance.now();
  const id = detectToolchain(options.workingDirectory, options.toolchain);
  const toolchain = describeToolchain(id, options.workingDirectory);
  const env = { ...process.env, ...options.env };
  const runtime = runtimeVersion(toolchain.language, toolchain.runtimeVersion, env, options.workingDirectory);
  logger.info(`Toolchain: ${id} (${toolchain.language}, ${runtime}) in ${options.workingDirectory}`);

  const cache = new DependencyCache(logger);
  const cacheReport = await cache.restore(options, toolchain, runtime);
  logger.info(`Cache: ${cacheReport.hit === 'true' ? 'hit' : cacheReport.hit === 'partial' ? 'partial hit' : 'miss'} — ${cacheReport.reason}`);

  const plan = planSteps(toolchain, options);
  const install = plan[0]!;
  if (cacheReport.hit === 'true' && toolchain.installFromCache && install.origin === 'default' && install.command) {
    install.skipReason = `${toolchain.cachePaths[0]} restored from the cache for this exact lockfile and runtime`;
    delete install.command;
  }

  const reportPatterns = [...options.junitPatterns, ...options.coveragePatterns];
  const before = await snapshotReports(options.workingDirectory, reportPatterns);
  const steps: StepResult[] = [];
  let failure: string | undefined;
  let installed = false;
  let saved = false;
  const saveCache = async () => {
    saved = true;
    await cache.save();
  };
  for (const step of plan) {
    if (failure) {
      steps.push({ name: step.name, command: step.command, status: 'not-run', durationMs: 0, reason: 'an earlier step failed' });
      continue;
    }
    const result = await runStep(step, { cwd: options.workingDirectory, env, timeoutMs: options.stepTimeoutMs, output });
    steps.push(result);
    if (result.status === 'failure' || result.status === 'timed-out') {
      failure = `${step.name} step failed: \`${step.command}\` ${result.reason}`;
    } else {
      // A toolchain with no install step of its own (Gradle) installs while it builds.
      installed ||= step.name === 'install' && (result.status === 'success' || (result.status === 'skipped' && step.origin === 'default'));
      if (installed && step.name === toolchain.saveAfter && result.status === 'success') await saveCache();
    }
  }
  // The step the cache waits for was skipped: save once everything else has passed.
  if (installed && !saved && !failure) await saveCache();

  const tests = await collectTests(options.workingDirectory, options.junitPatterns, before, logger);
  const coverage = { ...(await collectCoverage(options.workingDirectory, options.coveragePatterns, before, logger)), threshold: options.coverageThreshold };
  failure ??= judgeReports(tests, coverage);

  return {
    result: failure ? 'failure' : 'success',
    failure,
    toolchain: id,
    language: toolchain.language,
    runtime,
    workingDirectory: options.workingDirectory,
    cache: cacheReport,
    steps,
    tests,
    coverage,
    durationMs: Math.round(performance.now() - started),
  };
}

function judgeReports(tests: CollectedTests, coverage: CollectedCoverage & { threshold?: number }): string | undefined {
  if (tests.totals.failed > 0) return `${tests.totals.failed} test(s) failed in the JUnit reports`;
  if (coverage.threshold === undefined) return undefined;
  if (!coverage.coverage) return `coverage-threshold is ${coverage.threshold}% but no coverage report matched coverage-reports`;
  if (coverage.coverage.pct < coverage.threshold) {
    return `line coverage ${coverage.coverage.pct.toFixed(2)}% is under coverage-threshold ${coverage.threshold}%`;
  }
  return undefined;
}

/** Writes the JSON report: everything the outputs say, per step, plus the parsed tests. */
export async function writeReport(path: string, result: IntegrateResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ schema: 'gantry.integrate/v1', ...result }, null, 2) + '\n');
}
