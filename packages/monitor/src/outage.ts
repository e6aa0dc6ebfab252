import { describeEntry, formatSpan } from './describe';
import { checkSeries } from './history';
import type { CheckEntry, History, HistoryEntry, OutageRecord } from './types';

/** An open issue as the issue list gives it. */
export interface OpenIssue {
  number: number;
  title: string;
}

export type IssueAction =
  | { kind: 'open'; check: string; title: string; body: string }
  | { kind: 'comment'; check: string; issue: number; body: string }
  | { kind: 'close'; check: string; issue: number; body: string };

export interface Recovery {
  check: string;
  since: string;
  until: string;
  downtimeMs: number;
  failedRuns: number;
}

export interface OutagePlanInput {
  /** The history with this run's entry already appended; its `outages` are the previous run's. */
  history: History;
  /** This run. */
  entry: HistoryEntry;
  /** Open issues carrying the label; undefined when issues are not handled (no GitHub API). */
  openIssues?: OpenIssue[];
  /** While an outage lasts unchanged, the least time between two comments; 0 comments on every run. */
  commentIntervalMs: number;
  /** Link to this run, for issue texts. */
  runUrl?: string;
}

export interface OutagePlan {
  actions: IssueAction[];
  /** The outage records after this run (recovered checks removed). */
  outages: Record<string, OutageRecord>;
  recoveries: Recovery[];
}

/** The title an outage issue of a check has: stable, so the next run finds it again. */
export const issueTitle = (check: string): string => `Outage: ${check}`;

/** What identifies an outage's kind: failure reasons and missed objectives, sorted. A change is worth a comment. */
export function outageSignature(check: CheckEntry): { reasons: string[]; missed: string[] } {
  return { reasons: Object.keys(check.failuresByReason).sort(), missed: [...(check.failed ?? [])].sort() };
}

/** Start of the failing streak that ends with the newest entry of `name`, and its length. */
export function failingStreak(history: History, name: string): { since?: string; runs: number } {
  const series = checkSeries(history, name);
  let i = series.length;
  while (i > 0 && series[i - 1]!.status === 'down') i--;
  return { since: series[i]?.time, runs: series.length - i };
}

/**
 * The outage state machine, per check: down with no open issue → open one;
 * down with one open (found by title among the label's issues, so a lost
 * history still finds it) → comment when the reasons changed or the interval
 * passed; up with one open → close it with the downtime from the history.
 */
export function planOutages(input: OutagePlanInput): OutagePlan {
  const { history, entry, openIssues, commentIntervalMs } = input;
  const now = Date.parse(entry.time);
  const outages: Record<string, OutageRecord> = {};
  const actions: IssueAction[] = [];
  const recoveries: Recovery[] = [];
  const link = input.runUrl ? `\n\n[Run](${input.runUrl})` : '';
  for (const check of entry.checks) {
    const previous = history.outages[check.name];
    const issue = openIssues ? openIssues.find((i) => i.title === issueTitle(check.name))?.number : previous?.issue;
    if (check.status === 'down') {
      const since = previous?.since ?? beforeThisRun(history, check.name, entry.time);
      const { reasons, missed } = outageSignature(check);
      const record: OutageRecord = { since, reasons, missed, ...(previous?.lastNoticeAt ? { lastNoticeAt: previous.lastNoticeAt } : {}) };
      if (issue !== undefined) record.issue = issue;
      outages[check.name] = record;
      if (!openIssues) continue;
      if (issue === undefined) {
        const body = `**${check.name}** (${check.target}) is down since ${since}.\n\n${describeEntry(check)}${link}`;
        actions.push({ kind: 'open', check: check.name, title: issueTitle(check.name), body });
        record.lastNoticeAt = entry.time;
        continue;
      }
      const reasonsChanged = previous !== undefined && previous.reasons.join() !== reasons.join();
      const missedChanged = previous !== undefined && (previous.missed ?? []).join() !== missed.join();
      const changed = previous === undefined || reasonsChanged || missedChanged;
      const quiet = previous?.lastNoticeAt ? now - Date.parse(previous.lastNoticeAt) : Infinity;
      if (changed || quiet >= commentIntervalMs) {
        const lasting = formatSpan(now - Date.parse(since));
        let what = reasonsChanged ? ` Failure reasons changed from ${list(previous!.reasons)} to ${list(reasons)}.` : '';
        if (missedChanged) what += ` Objectives missed changed from ${list(previous!.missed ?? [])} to ${list(missed)}.`;
        const body = `Still down at ${entry.time} (for ${lasting}, since ${since}).${what}\n\n${describeEntry(check)}${link}`;
        actions.push({ kind: 'comment', check: check.name, issue, body });
        record.lastNoticeAt = entry.time;
      }
      continue;
    }
    if (previous === undefined && issue === undefined) continue;
    const streak = failingStreak({ ...history, entries: history.entries.slice(0, -1) }, check.name);
    const since = previous?.since ?? streak.since ?? entry.time;
    const recovery: Recovery = {
      check: check.name,
      since,
      until: entry.time,
      downtimeMs: Math.max(0, now - Date.parse(since)),
      failedRuns: streak.runs,
    };
    recoveries.push(recovery);
    if (openIssues && issue !== undefined) {
      const body =
        `Recovered at ${entry.time} after ${formatSpan(recovery.downtimeMs)} of downtime ` +
        `(down since ${since}; ${streak.runs} failing run${streak.runs === 1 ? '' : 's'}).\n\n${describeEntry(check)}${link}`;
      actions.push({ kind: 'close', check: check.name, issue, body });
    }
  }
  return { actions, outages, recoveries };
}

/** The start of the failing streak that this run continues (or starts). */
function beforeThisRun(history: History, name: string, now: string): string {
  return failingStreak(history, name).since ?? now;
}

const list = (items: string[]) => (items.length ? items.join(', ') : 'none');
