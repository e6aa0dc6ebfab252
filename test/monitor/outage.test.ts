import { describe, expect, test } from 'vitest';
import { appendEntry, emptyHistory, entryFromReport, failingStreak, issueTitle, planOutages } from '@gantry/monitor';
import type { History, OpenIssue } from '@gantry/monitor';
import type { FailureReason } from '@gantry/probe';
import { makeReport, verdictsOf } from './reports';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/** Runs the state machine over a sequence of runs, keeping history and issues as the real thing would. */
function simulate(runs: Array<{ minute: number; reasons?: Partial<Record<FailureReason, number>> }>, options: { intervalMs?: number; issues?: boolean } = {}) {
  let history: History = emptyHistory();
  const open: OpenIssue[] = [];
  const log: string[] = [];
  for (const run of runs) {
    const report = makeReport(at(run.minute), [{ name: 'api', reasons: run.reasons }]);
    const entry = entryFromReport(report, verdictsOf(report));
    history = appendEntry(history, entry);
    const plan = planOutages({ history, entry, openIssues: options.issues === false ? undefined : [...open], commentIntervalMs: options.intervalMs ?? 3_600_000 });
    for (const action of plan.actions) {
      if (action.kind === 'open') {
        open.push({ number: open.length + 1, title: action.title });
        plan.outages[action.check]!.issue = open.length;
        log.push(`${run.minute}: open "${action.title}"`);
      } else if (action.kind === 'comment') log.push(`${run.minute}: comment #${action.issue}`);
      else {
        open.splice(open.findIndex((i) => i.number === action.issue), 1);
        log.push(`${run.minute}: close #${action.issue}: ${action.body.split('\n')[0]}`);
      }
    }
    history = { ...history, outages: plan.outages };
  }
  return { history, log };
}

describe('outage issues', () => {
  test('open on the first failing run, quiet while unchanged, comment on a change, close on recovery with the downtime', () => {
    const { log, history } = simulate([
      { minute: 0 },
      { minute: 5, reasons: { 'connection-refused': 100 } },
      { minute: 10, reasons: { 'connection-refused': 100 } },
      { minute: 15, reasons: { status: 40 } },
      { minute: 20 },
      { minute: 25 },
    ]);
    expect(log).toEqual([
      `5: open "${issueTitle('api')}"`,
      '15: comment #1',
      `20: close #1: Recovered at ${at(20)} after 15 m 00 s of downtime (down since ${at(5)}; 3 failing runs).`,
    ]);
    expect(history.outages).toEqual({});
  });

  test('an unchanged outage gets a reminder once the comment interval has passed', () => {
    const { log } = simulate(
      [{ minute: 0, reasons: { timeout: 5 } }, { minute: 20, reasons: { timeout: 5 } }, { minute: 40, reasons: { timeout: 5 } }, { minute: 50, reasons: { timeout: 5 } }],
      { intervalMs: 30 * 60_000 },
    );
    expect(log).toEqual([`0: open "Outage: api"`, '40: comment #1']);
  });

  test('interval 0 comments on every failing run', () => {
    const { log } = simulate([{ minute: 0, reasons: { timeout: 5 } }, { minute: 1, reasons: { timeout: 5 } }, { minute: 2, reasons: { timeout: 5 } }], { intervalMs: 0 });
    expect(log).toEqual([`0: open "Outage: api"`, '1: comment #1', '2: comment #1']);
  });

  test('an open issue with the title is reused when the history lost its record (de-duplication)', () => {
    const report = makeReport(at(5), [{ name: 'api', reasons: { status: 1 } }]);
    const entry = entryFromReport(report, verdictsOf(report));
    const history = appendEntry(emptyHistory(), entry);
    const plan = planOutages({ history, entry, openIssues: [{ number: 7, title: 'Outage: other' }, { number: 9, title: 'Outage: api' }], commentIntervalMs: 3_600_000 });
    expect(plan.actions.map((a) => [a.kind, 'issue' in a ? a.issue : undefined])).toEqual([['comment', 9]]);
    expect(plan.outages.api).toMatchObject({ issue: 9, since: at(5), reasons: ['status'], missed: ['availability >= 99%'] });
  });

  test('a recovered check whose issue is open but unknown to the history still gets it closed', () => {
    let history = appendEntry(emptyHistory(), entryFromReport(makeReport(at(0), [{ name: 'api', reasons: { dns: 1 } }]), verdictsOf(makeReport(at(0), [{ name: 'api', reasons: { dns: 1 } }]))));
    const up = makeReport(at(10), [{ name: 'api' }]);
    const entry = entryFromReport(up, verdictsOf(up));
    history = appendEntry(history, entry);
    const plan = planOutages({ history, entry, openIssues: [{ number: 4, title: 'Outage: api' }], commentIntervalMs: 0 });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ kind: 'close', issue: 4 });
    expect(plan.recoveries).toEqual([{ check: 'api', since: at(0), until: at(10), downtimeMs: 600_000, failedRuns: 1 }]);
  });

  test('without an API (off GitHub) no issue actions, but outages and recoveries are still tracked', () => {
    const { log, history } = simulate([{ minute: 0, reasons: { tls: 1 } }, { minute: 5, reasons: { tls: 1 } }], { issues: false });
    expect(log).toEqual([]);
    expect(history.outages.api).toEqual({ since: at(0), reasons: ['tls'], missed: ['availability >= 99%'] });
  });

  test('the failing streak is the run of down entries at the end', () => {
    const { history } = simulate([{ minute: 0, reasons: { dns: 1 } }, { minute: 1 }, { minute: 2, reasons: { dns: 1 } }, { minute: 3, reasons: { dns: 1 } }], { issues: false });
    expect(failingStreak(history, 'api')).toEqual({ since: at(2), runs: 2 });
    expect(failingStreak(history, 'missing')).toEqual({ since: undefined, runs: 0 });
  });

  test('a change in the objectives missed is commented too, saying what changed', () => {
    let history: History = emptyHistory();
    const runAt = (minute: number, failed: string[]) => {
      const entry = entryFromReport(makeReport(at(minute), [{ name: 'api', p95: 900 }]), { api: { pass: false, failed } });
      history = appendEntry(history, entry);
      const plan = planOutages({ history, entry, openIssues: [{ number: 3, title: 'Outage: api' }], commentIntervalMs: 3_600_000 });
      history = { ...history, outages: plan.outages };
      return plan.actions;
    };
    runAt(0, ['p95 <= 300ms']);
    expect(runAt(5, ['p95 <= 300ms'])).toEqual([]);
    const [comment] = runAt(10, ['p95 <= 300ms', 'p99 <= 1s']);
    expect(comment).toMatchObject({ kind: 'comment', issue: 3 });
    expect(comment!.body).toContain('Objectives missed changed from p95 <= 300ms to p95 <= 300ms, p99 <= 1s.');
    expect(comment!.body).not.toContain('Failure reasons changed');
  });
});
