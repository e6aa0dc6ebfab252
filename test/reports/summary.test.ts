import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SUMMARY_LIMIT,
  escapeCell,
  parseCoverage,
  parseJUnit,
  renderCoverageSummary,
  renderTestSummary,
  truncateSummary,
  type TestSuiteResult,
} from '@gantry/reports';
import { fixture } from './fixtures';

const jest = parseJUnit(fixture('jest-junit.xml'), 'jest-junit.xml');
const surefire = parseJUnit(fixture('TEST-com.acme.CalculatorTest.xml'));

describe('renderTestSummary', () => {
  const markdown = renderTestSummary([jest, surefire], { slowest: 3 });

  test('totals table sums every report', () => {
    expect(markdown).toContain('| Passed ✅ | Failed ❌ | Skipped ⏭ | Total | Duration |');
    expect(markdown).toContain('| 5 | 4 | 2 | 11 | 2.50 s |');
  });

  test('failed tests with location and the first line of the message, escaped', () => {
    expect(markdown).toContain('#### Failed tests (4)');
    expect(markdown).toContain(
      '| cart › cart applies a 10% discount | <code>/home/runner/work/shop/shop/src/__tests__/cart.test.ts:18</code> | Error: expect(received).toBe(expected) // Object.is equality |',
    );
    expect(markdown).toContain(
      '| com.acme.CalculatorTest › addsTwoAndTwo | <code>com/acme/CalculatorTest.java:21</code> | expected: &lt;4&gt; but was: &lt;5&gt; |',
    );
  });

  test('slowest tests, longest first, skipped ones left out', () => {
    const slowest = markdown.slice(markdown.indexOf('#### Slowest tests (3)'));
    expect(slowest.split('\n').slice(4, 7)).toEqual([
      '| cart › cart renders &lt;b&gt;totals&lt;/b&gt; \\| with pipes | 1.85 s |',
      '| com.acme.CalculatorTest › readsRatesOverNetwork | 58 ms |',
      '| com.acme.CalculatorTest › addsTwoAndTwo | 21 ms |',
    ]);
  });

  test('maxFailures lists only so many and says how many more', () => {
    const capped = renderTestSummary([jest, surefire], { maxFailures: 1, slowest: 0 });
    expect(capped.match(/^\| .* \| <code>/gm)).toHaveLength(1);
    expect(capped).toContain('…and 3 more failed tests not listed.');
    expect(capped).not.toContain('Slowest');
  });

  test('a green run has no failure table', () => {
    const green: TestSuiteResult = { cases: [{ name: 'ok', classname: '', suite: '', durationMs: 5, status: 'passed' }], totals: { passed: 1, failed: 0, skipped: 0, total: 1, durationMs: 5 } };
    const out = renderTestSummary([green], {});
    expect(out).toContain('| 1 | 0 | 0 | 1 | 5 ms |');
    expect(out).not.toContain('Failed tests');
  });
});

test.each([
  ['pipe', 'a | b', 'a \\| b'],
  ['newlines', 'one\ntwo\r\nthree', 'one two three'],
  ['HTML', '<img src=x onerror="alert(1)"> & co', '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co'],
  ['unicode kept', 'naïve ✓ 日本', 'naïve ✓ 日本'],
])('escapeCell: %s', (_label, input, expected) => {
  expect(escapeCell(input)).toBe(expected);
});

test('renderCoverageSummary: headline and least-covered files first', () => {
  const cov = parseCoverage(fixture('coverage/python/coverage.xml'), 'python/coverage.xml');
  const markdown = renderCoverageSummary(cov, { maxFiles: 1 });
  expect(markdown).toContain('**Lines: 75.00%** (9 of 12 lines hit; cobertura from <code>python/coverage.xml</code>)');
  expect(markdown).toContain('#### Least covered files (1 of 2 not fully covered)');
  expect(markdown).toContain('| <code>/home/runner/work/calc/calc/src/calc/db.py</code> | 3 | 5 | 60.00% |');
  expect(markdown).not.toContain('core.py');
});

describe('truncateSummary', () => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // 1.5 MiB of table rows full of multi-byte characters (3- and 4-byte UTF-8).
  const row = '| テスト 🚀 naïve | 123 ms |\n';
  const big = '### Test results\n\n' + row.repeat(Math.ceil((1.5 * 1024 * 1024) / encoder.encode(row).length));

  test('a 1.5 MiB summary is cut below the limit at a line boundary, as valid UTF-8', () => {
    expect(encoder.encode(big).length).toBeGreaterThan(1.5 * 1024 * 1024);
    const out = truncateSummary(big);
    const bytes = encoder.encode(out);
    expect(bytes.length).toBeLessThanOrEqual(DEFAULT_SUMMARY_LIMIT);
    expect(bytes.length).toBeGreaterThan(DEFAULT_SUMMARY_LIMIT - 1024);
    expect(() => decoder.decode(bytes)).not.toThrow();
    const [kept, note] = out.split('\n> [!WARNING]\n');
    expect(big.startsWith(kept!)).toBe(true);
    expect(kept!.endsWith(row)).toBe(true);
    const cutBytes = encoder.encode(big).length - encoder.encode(kept!).length;
    const cutLines = (big.length - kept!.length) / row.length;
    expect(note).toBe(`> Summary truncated: ${cutBytes} bytes (${cutLines} lines) were cut to stay under GitHub's 1 MiB step summary limit.\n`);
  });

  test('fits already → unchanged', () => {
    expect(truncateSummary('# small ✓\n')).toBe('# small ✓\n');
    expect(truncateSummary(big, encoder.encode(big).length)).toBe(big);
  });

  test('one long line is cut on a character boundary', () => {
    const out = truncateSummary('🚀'.repeat(1000), 1000);
    const bytes = encoder.encode(out);
    expect(bytes.length).toBeLessThanOrEqual(1000);
    expect(() => decoder.decode(bytes)).not.toThrow();
    expect(out).toMatch(/^(?:🚀)+\n\n> \[!WARNING\]/u);
  });

  test('a code fence left open is closed', () => {
    const markdown = '```text\n' + 'log line\n'.repeat(500) + '```\n';
    const out = truncateSummary(markdown, 1000);
    expect(encoder.encode(out).length).toBeLessThanOrEqual(1000);
    expect(out.match(/^```/gm)).toHaveLength(2);
  });

  test('a limit smaller than the note is refused', () => {
    expect(() => truncateSummary('x'.repeat(100), 50)).toThrow(RangeError);
  });
});
