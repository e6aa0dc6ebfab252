import { repoPath } from './github-api';
import type { GitHubApi } from './github-api';
import type { IssueAction, OpenIssue } from './outage';
import type { OutageRecord } from './types';

interface IssueJson {
  number: number;
  title: string;
  html_url?: string;
  pull_request?: unknown;
}

/** An issue call that was made, for the log, the summary and the report. */
export interface IssueEvent {
  kind: IssueAction['kind'];
  check: string;
  issue: number;
  url?: string;
}

/**
 * Open issues with the label, pull requests left out. The list endpoint,
 * not the search API: search is indexed with a delay, so an issue opened by
 * the previous run could be missed and opened twice.
 */
export async function listOpenIssues(api: GitHubApi, repository: string, label: string): Promise<OpenIssue[]> {
  const issues: OpenIssue[] = [];
  for (let page = 1; page <= 10; page++) {
    const query = `state=open&labels=${encodeURIComponent(label)}&per_page=100&page=${page}`;
    const batch = (await api.request<IssueJson[]>('GET', `${repoPath(repository)}/issues?${query}`)) ?? [];
    for (const issue of batch) if (!issue.pull_request) issues.push({ number: issue.number, title: issue.title });
    if (batch.length < 100) break;
  }
  return issues;
}

/**
 * Makes the planned calls in order, and records each opened issue's number
 * in `outages` so the next run comments on it instead of opening another.
 */
export async function applyIssueActions(
  api: GitHubApi,
  repository: string,
  label: string,
  actions: IssueAction[],
  outages: Record<string, OutageRecord>,
): Promise<IssueEvent[]> {
  const repo = repoPath(repository);
  const events: IssueEvent[] = [];
  for (const action of actions) {
    if (action.kind === 'open') {
      const issue = await api.request<IssueJson>('POST', `${repo}/issues`, { title: action.title, body: action.body, labels: [label] });
      const record = outages[action.check];
      if (record) record.issue = issue!.number;
      events.push({ kind: 'open', check: action.check, issue: issue!.number, url: issue!.html_url });
    } else if (action.kind === 'comment') {
      await api.request('POST', `${repo}/issues/${action.issue}/comments`, { body: action.body });
      events.push({ kind: 'comment', check: action.check, issue: action.issue });
    } else {
      await api.request('POST', `${repo}/issues/${action.issue}/comments`, { body: action.body });
      await api.request('PATCH', `${repo}/issues/${action.issue}`, { state: 'closed', state_reason: 'completed' });
      events.push({ kind: 'close', check: action.check, issue: action.issue });
    }
  }
  return events;
}
