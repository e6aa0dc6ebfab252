import { ReportParseError } from './errors';
import { locateInStack, toPath } from './stack';
import type { TestCaseResult, TestStatus, TestSuiteResult, TestTotals } from './types';
import { childrenNamed, parseXml, type XmlElement } from './xml';

const FAILED = ['failure', 'error'];
const SKIPPED = ['skipped', 'ignored'];
// Surefire: failed, then passed on a rerun.
const FLAKY = ['flakyFailure', 'flakyError'];

/** What varies between JUnit producers and changes how attributes are read. */
interface Dialect {
  /**
   * Node's junit reporter escapes `"` twice, so after decoding, names and
   * messages still contain a literal `&quot;` (seen on Node 20 and 24).
   */
  node: boolean;
  /** pytest's xunit1 `line` attribute is 0-based. */
  pytest: boolean;
}

/**
 * Parses a JUnit XML report: `<testsuites>` or a bare `<testsuite>` root,
 * nested suites, and the Node test runner, jest-junit, pytest, Maven
 * Surefire, go-junit-report and cargo2junit dialects.
 * Throws ReportParseError naming `source` when the XML is malformed or is
 * not a JUnit report.
 */
export function parseJUnit(xml: string, source?: string): TestSuiteResult {
  const root = parseXml(xml, source);
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    throw new ReportParseError(source, `not a JUnit report: root element is <${root.name}>, expected <testsuites> or <testsuite>`);
  }
  const dialect: Dialect = {
    node: root.comments.some((comment) => /^\s*duration_ms [\d.]+\s*$/.test(comment)),
    pytest: hasPytestSuite(root),
  };
  const cases: TestCaseResult[] = [];
  collectCases(root, root.name === 'testsuite' ? [nameOf(root, dialect)] : [], dialect, cases);
  const result: TestSuiteResult = { cases, totals: totalsOf(cases, rootDurationMs(root, cases)) };
  if (source !== undefined) result.source = source;
  if (root.attrs.name) result.name = nameOf(root, dialect);
  return result;
}

function collectCases(suite: XmlElement, path: string[], dialect: Dialect, out: TestCaseResult[]): void {
  for (const child of suite.children) {
    if (child.name === 'testsuite') collectCases(child, [...path, nameOf(child, dialect)], dialect, out);
    else if (child.name === 'testcase') out.push(toCase(child, path, dialect));
  }
}

function toCase(element: XmlElement, path: string[], dialect: Dialect): TestCaseResult {
  const failure = element.children.find((child) => FAILED.includes(child.name));
  const skip = element.children.find((child) => SKIPPED.includes(child.name));
  const status: TestStatus = failure ? 'failed' : skip ? 'skipped' : 'passed';
  const result: TestCaseResult = {
    name: nameOf(element, dialect),
    classname: element.attrs.classname ?? element.attrs.class ?? '',
    suite: path.filter((name) => name !== '').join(' › '),
    durationMs: secondsToMs(element.attrs.time),
    status,
  };
  const outcome = failure ?? skip;
  const details = outcome?.text.trim() ?? '';
  if (details) result.details = details;
  const message = outcome && messageOf(outcome, details, dialect);
  if (message) result.message = message;
  if (!failure && element.children.some((child) => FLAKY.includes(child.name))) result.flaky = true;
  placeCase(result, element.attrs, status === 'failed' ? details : '', dialect);
  return result;
}

function messageOf(outcome: XmlElement, details: string, dialect: Dialect): string | undefined {
  let message: string | undefined = outcome.attrs.message?.trim();
  if (message && dialect.node) message = undoNodeQuotes(message);
  // Node writes message="true" for a bare `test.skip()`.
  if (dialect.node && SKIPPED.includes(outcome.name) && message === 'true') message = undefined;
  if (!message && FAILED.includes(outcome.name)) message = details.split('\n').find((line) => line.trim() !== '')?.trim();
  return message || undefined;
}

/** file/line from attributes first, then from the failure body's stack. */
function placeCase(result: TestCaseResult, attrs: Record<string, string>, details: string, dialect: Dialect): void {
  const file = attrs.file ?? attrs.filepath;
  const lineAttr = attrs.line !== undefined ? Number.parseInt(attrs.line, 10) : NaN;
  let line = Number.isInteger(lineAttr) && lineAttr >= 0 ? lineAttr + (dialect.pytest ? 1 : 0) : undefined;
  if (file !== undefined && file !== '') {
    result.file = toPath(file);
    if (line === undefined && details) line = locateInStack(details, file)?.line;
  } else if (details) {
    const found = locateInStack(details);
    if (found) {
      result.file = found.file;
      line ??= found.line;
    }
  }
  if (line !== undefined && line > 0 && result.file !== undefined) result.line = line;
}

function nameOf(element: XmlElement, dialect: Dialect): string {
  const name = element.attrs.name ?? '';
  return dialect.node ? undoNodeQuotes(name) : name;
}

function undoNodeQuotes(value: string): string {
  return value.replace(/&quot;/g, '"');
}

function hasPytestSuite(root: XmlElement): boolean {
  const suites = root.name === 'testsuite' ? [root] : childrenNamed(root, 'testsuite');
  return suites.some((suite) => suite.attrs.name === 'pytest');
}

/** Seconds (possibly "1,234.5" from older Surefire) to milliseconds; 0 when absent or unreadable. */
function secondsToMs(time: string | undefined): number {
  if (time === undefined) return 0;
  const seconds = Number(time.replace(/,/g, ''));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/**
 * Wall time of the whole report: the root's `time`, else Node's
 * `<!-- duration_ms -->` comment, else the sum of top-level suites and cases.
 */
function rootDurationMs(root: XmlElement, cases: TestCaseResult[]): number {
  if (root.attrs.time !== undefined) return secondsToMs(root.attrs.time);
  for (const comment of root.comments) {
    const match = /^\s*duration_ms ([\d.]+)\s*$/.exec(comment);
    if (match) return Number(match[1]);
  }
  const tops = root.children.filter((child) => child.name === 'testsuite' || child.name === 'testcase');
  if (tops.some((child) => child.attrs.time !== undefined)) {
    return tops.reduce((sum, child) => sum + secondsToMs(child.attrs.time), 0);
  }
  return cases.reduce((sum, test) => sum + test.durationMs, 0);
}

function totalsOf(cases: TestCaseResult[], durationMs: number): TestTotals {
  const count = (status: TestStatus): number => cases.filter((test) => test.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), total: cases.length, durationMs };
}
