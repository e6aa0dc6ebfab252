import { describe, expect, test } from 'vitest';
import { appendEntry, downsample, embedStatusPage, formatSpan, emptyHistory, entryFromReport, lineChart, renderStatusPage, STATUS_END, STATUS_START, uptime } from '@gantry/monitor';
import type { History } from '@gantry/monitor';
import { makeReport, verdictsOf } from './reports';

const HOUR = 3_600_000;
const base = Date.UTC(2026, 0, 31, 12);
const at = (hoursAgo: number) => new Date(base - hoursAgo * HOUR).toISOString();

/** `api`: one run every 6 hours for 20 days, down 2 days ago and 10 days ago; `web` only recently. */
function history(): History {
  let h = emptyHistory();
  for (let hoursAgo = 20 * 24; hoursAgo >= 0; hoursAgo -= 6) {
    const down = hoursAgo === 48 || hoursAgo === 240;
    const specs = [{ name: 'api', reasons: down ? { status: 50 } : undefined, p95: 100 + hoursAgo / 10 }];
    if (hoursAgo <= 12) specs.push({ name: 'web', reasons: undefined, p95: 20 });
    const report = makeReport(at(hoursAgo), specs);
    h = appendEntry(h, entryFromReport(report, verdictsOf(report)));
  }
  return h;
}

describe('uptime', () => {
  test('is the share of up runs in the window before the newest run', () => {
    const h = history();
    const now = base;
    expect(uptime(h, 'api', now, 24 * HOUR)).toBe(1);
    expect(uptime(h, 'api', now, 7 * 24 * HOUR)).toBeCloseTo(28 / 29);
    expect(uptime(h, 'api', now, 30 * 24 * HOUR)).toBeCloseTo(79 / 81);
    expect(uptime(h, 'web', now, 30 * 24 * HOUR)).toBe(1);
    expect(uptime(h, 'gone', now, 24 * HOUR)).toBeUndefined();
  });
});

describe('the status page', () => {
  test('shows status, uptime over 24h/7d/30d, p95 and a trend chart per check, between markers', () => {
    const h = history();
    h.outages = { web: { since: at(6), reasons: ['timeout'], missed: ['p95 <= 1s'], issue: 12 } };
    const page = renderStatusPage(h);
    expect(page.startsWith(STATUS_START)).toBe(true);
    expect(page.trimEnd().endsWith(STATUS_END)).toBe(true);
    expect(page).toContain(`Updated ${at(0)} from 81 runs (since ${at(480)}).`);
    expect(page).toContain('| api | 🟢 up | 100.00% | 96.55% | 97.53% | 100 ms |');
    expect(page).toContain('| web | 🟢 up | 100.00% | 100.00% | 100.00% | 20 ms |');
    expect(page).toContain(`| web | ${at(6)} | 6 h 00 m | timeout, p95 &lt;= 1s | #12 |`);
    expect(page.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(page).toContain('### api');
  });

  test('is the same for the same history (no wall clock)', () => {
    expect(renderStatusPage(history())).toBe(renderStatusPage(history()));
  });

  test('says so when nothing is recorded yet', () => {
    expect(renderStatusPage(emptyHistory())).toContain('No runs recorded yet.');
  });

  test('replaces only what is between the markers of an existing file', () => {
    const existing = `# My service\n\nIntro.\n\n${STATUS_START}\nold\n${STATUS_END}\n\nFooter.\n`;
    const page = `${STATUS_START}\nnew\n${STATUS_END}\n`;
    expect(embedStatusPage(existing, page)).toBe(`# My service\n\nIntro.\n\n${STATUS_START}\nnew\n${STATUS_END}\n\nFooter.\n`);
    expect(embedStatusPage('no markers', page)).toBe(page);
    expect(embedStatusPage(undefined, page)).toBe(page);
  });
});

describe('charts', () => {
  test('a Mermaid xychart-beta with one line per series', () => {
    const chart = lineChart('Latency', 'second', ['0', '1', '2'], [{ label: 'p50', values: [1, 2, 3] }, { label: 'p95', values: [5, 6.25, 70] }]);
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Latency (p50, p95)"',
        '  x-axis "second" ["0", "1", "2"]',
        '  y-axis "ms" 0 --> 77',
        '  line [1, 2, 3]',
        '  line [5, 6.3, 70]',
        '```',
        '',
      ].join('\n'),
    );
    expect(lineChart('x', 'y', [], [{ label: 'a', values: [] }])).toBe('');
  });

  test('downsampling keeps the peak of each group', () => {
    const values = Array.from({ length: 120 }, (_, i) => (i === 77 ? 999 : 1));
    const small = downsample(values, 60);
    expect(small).toHaveLength(60);
    expect(small).toContain(999);
  });
});

describe('spans', () => {
  test('read as ms/s/m under an hour, then hours and minutes, then days and hours', () => {
    expect(formatSpan(900)).toBe('900 ms');
    expect(formatSpan(15 * 60_000)).toBe('15 m 00 s');
    expect(formatSpan(6 * HOUR + 5 * 60_000)).toBe('6 h 05 m');
    expect(formatSpan(51 * HOUR)).toBe('2 d 03 h');
  });
});
