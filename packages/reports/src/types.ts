import type { AnnotationProperties } from '@gantry/action-kit/runner';

/** Outcome of one test case; JUnit `<error>` counts as `failed`. */
export type TestStatus = 'passed' | 'failed' | 'skipped';

/** One `<testcase>`, normalised across JUnit dialects. */
export interface TestCaseResult {
  name: string;
  classname: string;
  /** Enclosing `<testsuite>` names, outermost first, joined with ' › '; '' for a case directly under the root. */
  suite: string;
  /** Source path as the report gives it (a `file://` URL is turned into a path); not made relative. */
  file?: string;
  /** 1-based line. */
  line?: number;
  durationMs: number;
  status: TestStatus;
  /** The failure/skip message, or the first line of the failure body when the report has no message. */
  message?: string;
  /** The failure body (usually a stack trace), trimmed. */
  details?: string;
  /** Surefire `<flakyFailure>`/`<flakyError>`: failed at first, then passed on a rerun. */
  flaky?: boolean;
}

/** Counts over test cases (never taken from `tests=`/`failures=` attributes, which dialects disagree on). */
export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  durationMs: number;
}

/** Everything one JUnit XML file says. */
export interface TestSuiteResult {
  /** The file the report came from, when the caller named it. */
  source?: string;
  /** Root element's `name` attribute, if any. */
  name?: string;
  cases: TestCaseResult[];
  totals: TestTotals;
}

/** Coverage report formats `parseCoverage` understands. */
export type CoverageFormat = 'lcov' | 'istanbul-summary' | 'cobertura';

/** Line coverage of one source file. */
export interface CoverageFile {
  /** Path as the report gives it (Cobertura: joined to its single `<source>`). */
  path: string;
  linesFound: number;
  linesHit: number;
  /**
   * Hit count per instrumented line, when the format records lines (lcov DA,
   * Cobertura `<line>`). Lets `mergeCoverage` union two runs of one file exactly.
   */
  lineHits?: Record<number, number>;
}

/** Line coverage of one report, or of several merged. */
export interface CoverageResult {
  /** `'mixed'` only from `mergeCoverage` over reports of different formats. */
  format: CoverageFormat | 'mixed';
  /** Report file(s) this came from. */
  sources: string[];
  linesFound: number;
  linesHit: number;
  /** 0..100. 100 when there are no lines at all (Istanbul's convention: nothing to cover is not a gap). */
  pct: number;
  files: CoverageFile[];
}

/** Annotation severity, as GitHub names the workflow commands. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** A check-run annotation: a level and message at the place the runner protocol names. */
export interface Annotation extends AnnotationProperties {
  level: AnnotationLevel;
  message: string;
}

/** GitHub's display caps on annotations. */
export interface AnnotationLimits {
  /** Per level (error/warning/notice) per step; GitHub shows 10. */
  perTypePerStep: number;
  /** Per job; GitHub shows 50. */
  perJob: number;
}
