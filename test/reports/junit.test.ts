import { describe, expect, test } from 'vitest';
import { parseJUnit, ReportParseError, type TestCaseResult } from '@gantry/reports';
import { fixture } from './fixtures';

const pick = (cases: TestCaseResult[], name: string): TestCaseResult => {
  const found = cases.find((test) => test.name === name);
  if (!found) throw new Error(`no test case named ${name}`);
  return found;
};

describe('parseJUnit on real-world dialects', () => {
  test.each([
    { file: 'jest-junit.xml', totals: { passed: 3, failed: 2, skipped: 1, total: 6, durationMs: 2417 } },
    { file: 'pytest-xunit2.xml', totals: { passed: 2, failed: 2, skipped: 1, total: 5, durationMs: 412 } },
    { file: 'TEST-com.acme.CalculatorTest.xml', totals: { passed: 2, failed: 2, skipped: 1, total: 5, durationMs: 87 } },
    { file: 'go-junit-report.xml', totals: { passed: 2, failed: 1, skipped: 1, total: 4, durationMs: 6 } },
    { file: 'cargo2junit.xml', totals: { passed: 1, failed: 1, skipped: 1, total: 3, durationMs: 9.1 } },
  ])('$file totals', ({ file, totals }) => {
    const result = parseJUnit(fixture(file), file);
    expect(result.source).toBe(file);
    const { durationMs, ...counts } = result.totals;
    const { durationMs: expectedMs, ...expectedCounts } = totals;
    expect(counts).toEqual(expectedCounts);
    expect(durationMs).toBeCloseTo(expectedMs, 6);
  });

  test.each([
    // jest-junit without addFileAttribute: place from the first frame outside node_modules
    ['jest-junit.xml', 'cart applies a 10% discount', '/home/runner/work/shop/shop/src/__tests__/cart.test.ts', 18, 'Error: expect(received).toBe(expected) // Object.is equality'],
    // jest-junit with a file attribute: the line comes from the frame in that file
    ['jest-junit.xml', 'price formatting rounds half-even', 'src/__tests__/price.test.ts', 12, "TypeError: Cannot read properties of undefined (reading 'toFixed')"],
    ['pytest-xunit2.xml', 'test_sub', 'tests/test_calc.py', 9, 'assert 2 == 3\n +  where 2 = sub(3, 1)'],
    // "localhost:5432" in the body is not a frame; the test's own line is first
    ['pytest-xunit2.xml', 'test_connect', 'tests/test_db.py', 7, 'failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"'],
    // JUnit frames are skipped; the package becomes the directory
    ['TEST-com.acme.CalculatorTest.xml', 'addsTwoAndTwo', 'com/acme/CalculatorTest.java', 21, 'expected: <4> but was: <5>'],
    ['TEST-com.acme.CalculatorTest.xml', 'dividesByZero', 'com/acme/Calculator.java', 12, '/ by zero'],
    ['go-junit-report.xml', 'TestSub', 'calc_test.go', 14, 'Failed'],
    ['cargo2junit.xml', 'tests::divides', 'src/lib.rs', 27, 'failed calc::tests::divides'],
  ])('%s: %s failed at %s:%d', (file, name, path, line, message) => {
    const test = pick(parseJUnit(fixture(file), file).cases, name);
    expect(test).toMatchObject({ status: 'failed', file: path, line, message });
    expect(test.details).toBe(test.details?.trim());
    expect(test.details?.length).toBeGreaterThan(0);
  });

  test('jest-junit suite, classname, entities and unicode', () => {
    const { cases, name } = parseJUnit(fixture('jest-junit.xml'));
    expect(name).toBe('jest tests');
    const piped = pick(cases, 'cart renders <b>totals</b> | with pipes');
    expect(piped).toMatchObject({ suite: 'cart', classname: 'cart renders <b>totals</b> | with pipes', status: 'passed', durationMs: 1853 });
    expect(piped.file).toBeUndefined();
    expect(pick(cases, 'price formatting formats yen ¥')).toMatchObject({ suite: 'price formatting', file: 'src/__tests__/price.test.ts' });
    expect(pick(cases, 'cart removes the last item')).toMatchObject({ status: 'skipped' });
    expect(pick(cases, 'cart applies a 10% discount').details).toContain('at new Promise (<anonymous>)');
  });

  test('pytest: error counts as failed, skip keeps its message, unicode parametrised name', () => {
    const { cases } = parseJUnit(fixture('pytest-xunit2.xml'));
    expect(pick(cases, 'test_div_by_zero')).toMatchObject({ status: 'skipped', message: 'division semantics undecided', suite: 'pytest' });
    expect(pick(cases, 'test_div_by_zero').file).toBeUndefined();
    expect(pick(cases, 'test_unicode[naïve-café]')).toMatchObject({ status: 'passed', classname: 'tests.test_calc' });
  });

  test('surefire: bare <testsuite> root, CDATA body, flakyFailure passes and is flagged', () => {
    const result = parseJUnit(fixture('TEST-com.acme.CalculatorTest.xml'));
    expect(result.name).toBe('com.acme.CalculatorTest');
    const flaky = pick(result.cases, 'readsRatesOverNetwork');
    expect(flaky).toMatchObject({ status: 'passed', flaky: true, suite: 'com.acme.CalculatorTest' });
    expect(flaky.message).toBeUndefined();
    expect(pick(result.cases, 'addsTwoAndTwo').details).toMatch(/^org\.opentest4j\.AssertionFailedError: expected: <4> but was: <5>\n\tat /);
    expect(pick(result.cases, 'addsTwoAndTwo').flaky).toBeUndefined();
    expect(pick(result.cases, 'handlesBigDecimals')).toMatchObject({ status: 'skipped', message: 'not ready for BigDecimal' });
  });

  test('cargo2junit: empty second suite adds nothing', () => {
    const { cases } = parseJUnit(fixture('cargo2junit.xml'));
    expect(cases.map((test) => test.suite)).toEqual(['cargo test #0', 'cargo test #0', 'cargo test #0']);
  });
});

describe('parseJUnit edge cases', () => {
  test.each([
    ['empty <testsuites/>', '<testsuites/>', 0],
    ['empty bare testsuite', '<?xml version="1.0"?>\n<testsuite name="none" tests="0"></testsuite>', 0],
    ['suite with only properties', '<testsuite name="p"><properties><property name="a" value="b"/></properties></testsuite>', 0],
    ['byte order mark', '\uFEFF<testsuites><testsuite name="s"><testcase name="t"/></testsuite></testsuites>', 1],
  ])('%s', (_label, xml, total) => {
    const result = parseJUnit(xml);
    expect(result.totals).toEqual({ passed: total, failed: 0, skipped: 0, total, durationMs: 0 });
  });

  test('nested suites join names, cases keep document order', () => {
    const xml = `<testsuites time="1.5">
      <testcase name="first" time="0.1"/>
      <testsuite name="outer"><testsuite name="inner"><testcase name="deep" time="1,200.5"/></testsuite><testcase name="shallow"/></testsuite>
      <testcase name="last"/>
    </testsuites>`;
    const { cases, totals } = parseJUnit(xml);
    expect(cases.map((test) => [test.name, test.suite])).toEqual([
      ['first', ''],
      ['deep', 'outer › inner'],
      ['shallow', 'outer'],
      ['last', ''],
    ]);
    expect(cases[1]!.durationMs).toBe(1_200_500);
    expect(totals.durationMs).toBe(1500);
  });

  test('entities: named, numeric and hex references decode once; CDATA stays verbatim', () => {
    const xml = `<testsuite name="e"><testcase name="a &amp;amp; b &#169; &#x1F600; &lt;tag&gt;" classname="C&apos;s">
      <failure message="line1&#10;line2">pre &amp; <![CDATA[raw &amp; <kept> ]]>post</failure></testcase></testsuite>`;
    const [test] = parseJUnit(xml).cases;
    expect(test).toMatchObject({ name: 'a &amp; b © 😀 <tag>', classname: "C's", message: 'line1\nline2', details: 'pre & raw &amp; <kept> post' });
  });

  test('unicode names survive and a failure without message uses its first body line', () => {
    const xml = '<testsuite name="Ünïcödé ✓"><testcase name="日本語のテスト 🚀"><failure>\n\n  断言失败: 1 != 2\n  more</failure></testcase></testsuite>';
    const [test] = parseJUnit(xml).cases;
    expect(test).toMatchObject({ name: '日本語のテスト 🚀', suite: 'Ünïcödé ✓', message: '断言失败: 1 != 2', details: '断言失败: 1 != 2\n  more' });
  });

  test('file and line attributes win over the stack; pytest xunit1 lines are 0-based', () => {
    const plain = parseJUnit('<testsuite name="x"><testcase name="t" file="a/b.ts" line="12"><failure>at x (/other/c.ts:3:4)</failure></testcase></testsuite>');
    expect(plain.cases[0]).toMatchObject({ file: 'a/b.ts', line: 12 });
    const pytest = parseJUnit('<testsuites><testsuite name="pytest"><testcase classname="t" name="test_a" file="tests/test_a.py" line="4"/></testsuite></testsuites>');
    expect(pytest.cases[0]).toMatchObject({ file: 'tests/test_a.py', line: 5 });
  });

  test.each([
    ['unclosed tag', '<testsuites><testsuite name="a"><testcase name="t"></testsuite></testsuites>', /reports\/bad\.xml: malformed XML at line 1/],
    ['truncated file', '<testsuites><testsuite name="a">', /reports\/bad\.xml: malformed XML/],
    ['not XML at all', 'PASS src/a.test.ts', /reports\/bad\.xml: malformed XML/],
    ['empty file', '   \n', /reports\/bad\.xml: empty file/],
    ['wrong root', '<coverage line-rate="1"/>', /reports\/bad\.xml: not a JUnit report: root element is <coverage>/],
  ])('%s → ReportParseError naming the file', (_label, xml, message) => {
    let caught: unknown;
    try {
      parseJUnit(xml, 'reports/bad.xml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReportParseError);
    expect((caught as ReportParseError).name).toBe('ReportParseError');
    expect((caught as ReportParseError).source).toBe('reports/bad.xml');
    expect((caught as Error).message).toMatch(message);
  });
});
