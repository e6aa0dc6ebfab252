/**
 * @gantry/reports: pure parsing and rendering of test and coverage reports
 * for the integrate action. No I/O and no @actions/core: callers read the
 * files, pass their text in, and write what comes back.
 */
export type {
  Annotation,
  AnnotationLevel,
  AnnotationLimits,
  CoverageFile,
  CoverageFormat,
  CoverageResult,
  TestCaseResult,
  TestStatus,
  TestSuiteResult,
  TestTotals,
} from './types';
export type { CoverageSummaryOptions, TestSummaryOptions } from './summary';
export type { StackLocation } from './stack';
export { ReportParseError } from './errors';
export { parseJUnit } from './junit';
export { parseCoverage, mergeCoverage } from './coverage/index';
export { GITHUB_ANNOTATION_LIMITS, limitAnnotations } from './annotations';
export { renderCoverageSummary, renderTestSummary } from './summary';
export { locateInStack } from './stack';
