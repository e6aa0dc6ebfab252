import { describe, expect, test } from 'vitest';
import {
  appendEntry,
  checkSeries,
  emptyHistory,
  entryFromReport,
  HistoryFormatError,
  parseHistory,
  serializeHistory,
} from '@gantry/monitor';
import { makeReport, verdictsOf } from './reports';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

describe('history entries', () => {
  test('keep per check status, availability, percentiles and failures by reason', () => {
    const report = makeReport(at(0), [{ name: 'api', reasons: { status: 3, timeout: 1 }, p95: 120 }, { name: 'web' }]);
    const entry = entryFromReport(report, verdictsOf(report));
    expect(entry.time).toBe(at(0));
    expect(entry.checks[0]).toEqual({
      name: 'api',
      target: 'http://127.0.0.1:9/api',
      status: 'down',
      availability: 0.96,
      requests: 100,
      failures: 4,
      p50: 60,
      p95: 120,
      p99: 180,
      failuresByReason: { status: 3, timeout: 1 },
      failed: ['availability >= 99%'],
    });
    expect(entry.checks[1]).toMatchObject({ name: 'web', status: 'up', failuresByReason: {} });
    expect(entry.checks[1]!.failed).toBeUndefined();
  });

  test('a check passes its verdict even with failures when the objectives allow them', () => {
    const report = makeReport(at(0), [{ name: 'api', reasons: { status: 1 } }]);
    expect(entryFromReport(report, { api: { pass: true, failed: [] } }).checks[0]!.status).toBe('up');
  });
});

describe('appending', () => {
  const entry = (minute: number) => ({ time: at(minute), checks: [] });

  test('keeps entries in time order and drops those older than the age limit before the newest', () => {
    let history = emptyHistory();
    for (const minute of [0, 10, 5, 30]) history = appendEntry(history, entry(minute), { maxAgeMs: 20 * 60_000, maxEntries: 100 });
    expect(history.entries.map((e) => e.time)).toEqual([at(10), at(30)]);
  });

  test('keeps at most maxEntries, the newest', () => {
    let history = emptyHistory();
    for (let minute = 0; minute < 10; minute++) history = appendEntry(history, entry(minute), { maxAgeMs: 1e12, maxEntries: 3 });
    expect(history.entries.map((e) => e.time)).toEqual([at(7), at(8), at(9)]);
  });

  test('an entry with the same time replaces the earlier one (a retried save)', () => {
    const first = appendEntry(emptyHistory(), { time: at(1), checks: [] });
    const again = appendEntry(first, { time: at(1), checks: [{ ...entryFromReport(makeReport(at(1), [{ name: 'a' }]), {}).checks[0]! }] });
    expect(again.entries).toHaveLength(1);
    expect(again.entries[0]!.checks).toHaveLength(1);
  });
});

describe('the history file', () => {
  test('round-trips, one entry per line', () => {
    const report = makeReport(at(0), [{ name: 'api' }]);
    let history = appendEntry(emptyHistory(), entryFromReport(report, verdictsOf(report)));
    history = appendEntry(history, entryFromReport(makeReport(at(5), [{ name: 'api' }]), {}));
    history.outages.api = { since: at(5), reasons: ['status'], missed: ['availability >= 99%'], issue: 3 };
    const text = serializeHistory(history);
    expect(text.split('\n').filter((l) => l.startsWith('{"time"'))).toHaveLength(2);
    expect(parseHistory(text, 'h.json')).toEqual(history);
    expect(checkSeries(history, 'api').map((e) => e.time)).toEqual([at(0), at(5)]);
  });

  test('an empty file is an empty history; anything else not a history is refused with its name', () => {
    expect(parseHistory('  \n', 'h.json')).toEqual(emptyHistory());
    expect(() => parseHistory('{oops', 'h.json')).toThrow(HistoryFormatError);
    expect(() => parseHistory('{oops', 'h.json')).toThrow(/h\.json is not JSON/);
    expect(() => parseHistory('{"version":2,"entries":[]}', 'h.json')).toThrow(/h\.json is not a smoke-monitor history/);
  });
});
