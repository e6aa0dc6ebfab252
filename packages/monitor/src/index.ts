export type * from './types';
export { DEFAULT_LIMITS } from './types';
export {
  appendEntry,
  checkNames,
  checkSeries,
  emptyHistory,
  entryFromReport,
  HistoryFormatError,
  parseHistory,
  serializeHistory,
} from './history';
export type { CheckVerdict } from './history';
export { failingStreak, issueTitle, outageSignature, planOutages } from './outage';
export type { IssueAction, OpenIssue, OutagePlan, OutagePlanInput, Recovery } from './outage';
export { embedStatusPage, renderStatusPage, STATUS_END, STATUS_START, UPTIME_WINDOWS, uptime } from './status-page';
export { downsample, lineChart } from './chart';
export type { ChartSeries } from './chart';
export { describeEntry, formatSpan, percent } from './describe';
export { GitHubApi, GitHubApiError, repoPath } from './github-api';
export type { GitHubApiOptions } from './github-api';
export { applyIssueActions, listOpenIssues } from './issues';
export type { IssueEvent } from './issues';
export { createBranchStore, createFileStore, HistoryConflictError, writeStatusPage } from './stores';
export type { BranchStoreOptions, HistoryStore } from './stores';
export { selectHistoryStore } from './select';
export type { SelectedStore, SelectStoreOptions, StoreChoice } from './select';
export { recordRun } from './monitor';
export type { MonitorResult, RecordRunOptions } from './monitor';
export { renderOverload, renderSummary } from './summary';
export type { SummaryInput } from './summary';
