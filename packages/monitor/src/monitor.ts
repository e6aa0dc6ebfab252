import type { Logger } from '@gantry/action-kit';
import { retry } from '@gantry/action-kit/retry';
import type { ProbeReport } from '@gantry/probe';
import { appendEntry, entryFromReport } from './history';
import type { CheckVerdict } from './history';
import type { GitHubApi } from './github-api';
import { applyIssueActions, listOpenIssues } from './issues';
import type { IssueEvent } from './issues';
import { planOutages } from './outage';
import type { Recovery } from './outage';
import { renderStatusPage, UPTIME_WINDOWS, uptime } from './status-page';
import { HistoryConflictError, writeStatusPage } from './stores';
import type { HistoryStore } from './stores';
import { DEFAULT_LIMITS } from './types';
import type { History, HistoryLimits, OutageRecord } from './types';

export interface RecordRunOptions {
  report: ProbeReport;
  verdicts: Record<string, CheckVerdict>;
  store: HistoryStore;
  /** Issue handling; absent off GitHub. */
  issues?: { api: GitHubApi; repository: string; label: string };
  commentIntervalMs: number;
  /** Where the status page is written in the workspace (the branch store also commits it). */
  statusPagePath: string;
  limits?: HistoryLimits;
  runUrl?: string;
  logger: Logger;
}

export interface MonitorResult {
  store: { kind: HistoryStore['kind']; description: string };
  /** Runs kept after this one was added. */
  runs: number;
  issueEvents: IssueEvent[];
  recoveries: Recovery[];
  outages: Record<string, OutageRecord>;
  /** Per check, uptime over 24h/7d/30d (0..1), from the history. */
  uptime: Record<string, Record<string, number | undefined>>;
  statusPagePath: string;
}

/**
 * Monitor mode after a probe: appends the run to the history, opens,
 * comments and closes outage issues, regenerates the status page, and saves.
 * When another run saved in between, it reads the history again and retries.
 */
export async function recordRun(options: RecordRunOptions): Promise<MonitorResult> {
  const { store, logger } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const entry = entryFromReport(options.report, options.verdicts);
  let history = appendEntry(await store.load(), entry, limits);
  const openIssues = options.issues ? await listOpenIssues(options.issues.api, options.issues.repository, options.issues.label) : undefined;
  const plan = planOutages({ history, entry, openIssues, commentIntervalMs: options.commentIntervalMs, runUrl: options.runUrl });
  const issueEvents = options.issues
    ? await applyIssueActions(options.issues.api, options.issues.repository, options.issues.label, plan.actions, plan.outages)
    : [];
  for (const event of issueEvents) logger.info(`Issue #${event.issue}: ${event.kind} (${event.check})`);
  const down = entry.checks.filter((c) => c.status === 'down').map((c) => c.name);
  const message = `smoke-monitor: ${entry.time} ${down.length ? `down: ${down.join(', ')}` : 'all up'}`;
  // Another run may save in between: read the history again and re-apply this run, twice at most.
  let page = '';
  await retry(
    async (attempt) => {
      if (attempt > 1) history = appendEntry(await store.load(), entry, limits);
      history = { ...history, outages: plan.outages };
      page = renderStatusPage(history);
      await store.save(history, page, message);
    },
    {
      attempts: 3,
      baseDelayMs: 0,
      maxDelayMs: 0,
      retryable: (error) => error instanceof HistoryConflictError,
      onRetry: ({ attempt, error }) => logger.info(`${(error as Error).message}; reading it again (attempt ${attempt + 1} of 3)`),
    },
  );
  // The branch store commits the page; a copy in the workspace serves later steps either way.
  if (store.kind === 'branch') await writeStatusPage(options.statusPagePath, page);
  return {
    store: { kind: store.kind, description: store.description },
    runs: history.entries.length,
    issueEvents,
    recoveries: plan.recoveries,
    outages: plan.outages,
    uptime: uptimes(history),
    statusPagePath: options.statusPagePath,
  };
}

function uptimes(history: History): Record<string, Record<string, number | undefined>> {
  const last = history.entries[history.entries.length - 1];
  const now = last ? Date.parse(last.time) : 0;
  const result: Record<string, Record<string, number | undefined>> = {};
  for (const check of last?.checks ?? []) {
    result[check.name] = Object.fromEntries(UPTIME_WINDOWS.map((w) => [w.label, uptime(history, check.name, now, w.ms)]));
  }
  return result;
}
