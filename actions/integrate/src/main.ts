import { coreLogger, runner as core } from '@gantry/action-kit';
import { integrate, renderSummary, testAnnotations, writeReport } from '@gantry/integrate';
import type { StepOutput } from '@gantry/integrate';
import { limitAnnotations } from '@gantry/reports';
import { getInputs } from './inputs';
import type { Inputs } from './inputs';

const logOutput: StepOutput = {
  startGroup: (title) => core.startGroup(title),
  endGroup: () => core.endGroup(),
  write: (chunk) => void process.stdout.write(chunk),
};

/** Reads the inputs, integrates, and reports through outputs, annotations and the summary. */
export async function run(inputs: Inputs = getInputs()): Promise<void> {
  const result = await integrate(inputs, coreLogger, logOutput);
  await writeReport(inputs.reportPath, result);

  core.setOutput('result', result.result);
  core.setOutput('toolchain', result.toolchain);
  core.setOutput('cache-hit', result.cache.hit);
  core.setOutput('tests-passed', result.tests.totals.passed);
  core.setOutput('tests-failed', result.tests.totals.failed);
  core.setOutput('tests-skipped', result.tests.totals.skipped);
  core.setOutput('coverage', result.coverage.coverage ? result.coverage.coverage.pct.toFixed(2) : '');
  core.setOutput('duration-ms', result.durationMs);
  core.setOutput('report', inputs.reportPath);

  // One error slot is kept for the step's own failure line.
  const { annotate, overflow } = inputs.annotations
    ? limitAnnotations(testAnnotations(result, inputs.workspace), { perTypePerStep: 9, perJob: 49 })
    : { annotate: [], overflow: [] };
  for (const a of annotate) {
    const { level: _level, message: _message, ...properties } = a;
    if (a.level === 'error') core.error(a.message, properties);
    else if (a.level === 'warning') core.warning(a.message, properties);
    else core.notice(a.message, properties);
  }

  if (inputs.jobSummary) {
    core.appendSummary(renderSummary(result, overflow));
  }
  if (result.failure) core.setFailed(`integrate failed: ${result.failure}`);
}
