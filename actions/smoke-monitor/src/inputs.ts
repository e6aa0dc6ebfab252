import { join } from 'node:path';
import { InputError, InputReader, detectEnvironment } from '@gantry/action-kit';
import { parseChecks, parseSlo, validateLoadShape } from '@gantry/probe';
import type { Check, LoadShape, SloObjective } from '@gantry/probe';
import type { StoreChoice } from '@gantry/monitor';

export const MODES = ['smoke', 'monitor'] as const;
export const STORE_CHOICES: readonly StoreChoice[] = ['auto', 'branch', 'file'];

/** Everything the run needs, read and checked before any request is sent. */
export interface Inputs {
  checks: Check[];
  shape: LoadShape;
  /** 0: no wait. */
  waitForReadyMs: number;
  objectives: SloObjective[];
  mode: (typeof MODES)[number];
  token?: string;
  issueLabel: string;
  commentIntervalMs: number;
  historyPath: string;
  historyBranch: string;
  historyStore: StoreChoice;
  statusPagePath: string;
  jobSummary: boolean;
  reportPath: string;
  workspace: string;
  repository?: string;
  apiUrl: string;
  runUrl?: string;
  /** "GitHub Actions runner" or "local run". */
  environment: string;
}

/**
 * Reads and validates every input: a malformed URL, a check with no URL, an
 * unparseable SLO, a rate of zero or below, a duration shorter than the
 * timeout all fail here with one line naming the input and the value.
 */
export function getInputs(reader = new InputReader(), env: NodeJS.ProcessEnv = process.env): Inputs {
  const run = detectEnvironment(env);
  // First, so the token is masked before anything else can print.
  const token = reader.secret('github-token');
  const checks = parseChecks({ url: reader.optional('url'), checks: reader.optional('checks') });
  const shape: LoadShape = {
    durationMs: reader.duration('duration', 10_000),
    rate: reader.number('rate', 5),
    concurrency: reader.integer('concurrency', 10, { min: 1 }),
    timeoutMs: reader.duration('timeout', 5_000),
  };
  validateLoadShape(shape, { duration: 'duration', rate: 'rate', timeout: 'timeout', concurrency: 'concurrency' });
  const mode = reader.choice('mode', MODES, 'smoke');
  const historyStore = reader.choice('history-store', STORE_CHOICES, 'auto');
  if (mode === 'monitor' && historyStore === 'branch' && !token) {
    throw new InputError('github-token', '', 'a token with contents: write when history-store is branch');
  }
  return {
    checks,
    shape,
    waitForReadyMs: reader.duration('wait-for-ready', 0),
    objectives: parseSlo(reader.string('slo', 'availability >= 99%'), 'slo'),
    mode,
    token,
    issueLabel: reader.string('issue-label', 'outage'),
    commentIntervalMs: reader.duration('issue-comment-interval', 3_600_000),
    historyPath: reader.string('history', 'monitor/history.json'),
    historyBranch: reader.string('history-branch', 'gantry-monitor'),
    historyStore,
    statusPagePath: reader.string('status-page', 'monitor/status.md'),
    jobSummary: reader.boolean('job-summary', true),
    reportPath: join(run.runnerTemp, 'gantry', `smoke-monitor-report-${run.stepId}.json`),
    workspace: run.workspace,
    repository: run.repository,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    runUrl: run.runUrl,
    environment: run.description,
  };
}
