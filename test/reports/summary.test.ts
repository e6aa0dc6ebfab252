import { describe, expect, test } from 'vitest';
import {
  parseCoverage,
  parseJUnit,
  renderCoverageSummary,
  renderTestSummary,
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

test('renderCoverageSummary: headline and least-covered files first', () => {
  const cov = parseCoverage(fixture('coverage/python/coverage.xml'), 'python/coverage.xml');
  const markdown = renderCoverageSummary(cov, { maxFiles: 1 });
  expect(markdown).toContain('**Lines: 75.00%** (9 of 12 lines hit; cobertura from <code>python/coverage.xml</code>)');
  expect(markdown).toContain('#### Least covered files (1 of 2 not fully covered)');
  expect(markdown).toContain('| <code>/home/runner/work/calc/calc/src/calc/db.py</code> | 3 | 5 | 60.00% |');
  expect(markdown).not.toContain('core.py');
});
