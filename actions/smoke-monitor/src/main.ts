import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { coreLogger, errorMessage, escapeCell, formatDuration, runner as core } from '@gantry/action-kit';
import { recordRun, renderSummary, selectHistoryStore } from '@gantry/monitor';
import type { CheckVerdict, MonitorResult, SelectedStore } from '@gantry/monitor';
import { evaluateSlo, runProbe } from '@gantry/probe';
import type { ProbeReport, SloResult } from '@gantry/probe';
import { getInputs } from './inputs';
import type { Inputs } from './inputs';

const round1 = (n: number) => String(Number(n.toFixed(1)));

/** Waits for readiness, probes, judges each check against the SLO, records (monitor mode), and reports. */
export async function run(inputs: Inputs = getInputs()): Promise<void> {
  const controller = new AbortController();
  const cancel = () => controller.abort(new Error('the step was cancelled'));
  process.once('SIGTERM', cancel);
  process.once('SIGINT', cancel);

  if (inputs.waitForReadyMs > 0) {
    core.info(`Waiting up to ${formatDuration(inputs.waitForReadyMs)} for ${inputs.checks.length} check(s) to answer healthy`);
  }
  const report = await runProbe(inputs.checks, inputs.shape, {
    signal: controller.signal,
    waitForReady: inputs.waitForReadyMs > 0 ? { timeoutMs: inputs.waitForReadyMs, initialDelayMs: 250, maxDelayMs: 5_000 } : undefined,
  });
  process.off('SIGTERM', cancel);
  process.off('SIGINT', cancel);
  logReadiness(report);
  const slo = evaluateSlo(inputs.objectives, report.overall);
  const perCheck: Record<string, SloResult> = Object.fromEntries(report.checks.map((c) => [c.name, evaluateSlo(inputs.objectives, c)]));
  const verdicts: Record<string, CheckVerdict> = Object.fromEntries(
    Object.entries(perCheck).map(([name, r]) => [name, { pass: r.pass, failed: r.objectives.filter((o) => !o.pass).map((o) => o.text) }]),
  );
  const status = Object.values(verdicts).every((v) => v.pass) ? 'pass' : 'fail';

  let monitor: MonitorResult | undefined;
  let storeReason: string | undefined;
  // A broken monitor (history or issue calls failing) still reports what was measured, then fails the step.
  let monitorError: string | undefined;
  if (inputs.mode === 'monitor') {
    const selected = selectStore(inputs);
    storeReason = selected.reason;
    try {
      monitor = await monitorRun(inputs, selected, report, verdicts);
    } catch (error) {
      monitorError = errorMessage(error);
    }
  }

  await mkdir(dirname(inputs.reportPath), { recursive: true });
  const full = { mode: inputs.mode, status, slo, checks: perCheck, probe: report, monitor, store: storeReason, monitorError };
  await writeFile(inputs.reportPath, JSON.stringify(full, null, 2) + '\n');

  core.setOutput('status', status);
  core.setOutput('availability', (report.overall.availability * 100).toFixed(3));
  core.setOutput('p50-ms', round1(report.overall.latency.p50));
  core.setOutput('p95-ms', round1(report.overall.latency.p95));
  core.setOutput('p99-ms', round1(report.overall.latency.p99));
  core.setOutput('requests', report.overall.requests);
  core.setOutput('failures', report.overall.failures);
  core.setOutput('report', inputs.reportPath);

  const overload = report.selfOverload;
  if (overload.note || overload.droppedSends > 0) {
    core.warning(`This runner, not the target, could not keep the asked rate: ${overload.note ?? `${overload.droppedSends} sends dropped`}`);
  }
  if (inputs.jobSummary) {
    let summary = renderSummary({ mode: inputs.mode, status, report, slo, verdicts, monitor, storeReason, environment: inputs.environment });
    if (monitorError) summary += `\n> [!CAUTION]\n> The monitor could not record this run: ${escapeCell(monitorError)}\n`;
    core.appendSummary(summary);
  }
  const missed = Object.entries(perCheck).flatMap(([name, r]) => r.objectives.filter((o) => !o.pass).map((o) => `${name}: ${o.margin} (${o.text})`));
  if (monitorError) core.setFailed(`smoke-monitor: the monitor could not record this run: ${monitorError}`);
  if (status === 'pass') core.info(`All ${report.checks.length} check(s) met ${inputs.objectives.map((o) => o.text).join(', ')}.`);
  else if (inputs.mode === 'smoke') core.setFailed(`smoke-monitor: objectives missed: ${missed.join('; ')}`);
  // A scheduled monitor that failed on every outage run would page twice; the issue is the alert.
  else if (!monitorError) core.warning(`Outage recorded (the step does not fail in monitor mode): ${missed.join('; ')}`);
}

/** Each check's wait-for-ready outcome, when there was a wait. */
function logReadiness(report: ProbeReport): void {
  for (const { name, ready } of report.checks) {
    if (!ready) continue;
    if (ready.ready) core.info(`${name}: ready after ${ready.attempts} attempt(s), ${formatDuration(ready.elapsedMs)}`);
    else core.warning(`${name}: not ready after ${formatDuration(ready.elapsedMs)} (${ready.lastFailure?.reason}: ${ready.lastFailure?.message}); measured anyway`);
  }
}

function selectStore(inputs: Inputs): SelectedStore {
  const selected = selectHistoryStore({
    choice: inputs.historyStore,
    token: inputs.token,
    repository: inputs.repository,
    apiUrl: inputs.apiUrl,
    branch: inputs.historyBranch,
    historyPath: inputs.historyPath,
    statusPagePath: inputs.statusPagePath,
    workspace: inputs.workspace,
  });
  core.info(`Monitor: ${selected.reason}`);
  return selected;
}

async function monitorRun(inputs: Inputs, selected: SelectedStore, report: ProbeReport, verdicts: Record<string, CheckVerdict>): Promise<MonitorResult> {
  const statusPagePath = isAbsolute(inputs.statusPagePath) ? inputs.statusPagePath : resolve(inputs.workspace, inputs.statusPagePath);
  return recordRun({
    report,
    verdicts,
    store: selected.store,
    issues: selected.api && inputs.repository ? { api: selected.api, repository: inputs.repository, label: inputs.issueLabel } : undefined,
    commentIntervalMs: inputs.commentIntervalMs,
    statusPagePath,
    runUrl: inputs.runUrl,
    logger: coreLogger,
  });
}
