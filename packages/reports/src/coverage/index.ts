import { ReportParseError } from '../errors';
import type { CoverageResult } from '../types';
import { parseXml } from '../xml';
import { parseCobertura } from './cobertura';
import { isIstanbulSummary, parseIstanbulSummary } from './istanbul';
import { looksLikeLcov, parseLcov } from './lcov';

export { mergeCoverage } from './merge';

/**
 * Detects the format of a coverage report from its content (lcov tracefile,
 * Istanbul `coverage-summary.json`, or Cobertura XML) and parses its line
 * coverage. Throws ReportParseError naming `source` for malformed or
 * unrecognised content.
 */
export function parseCoverage(content: string, source: string): CoverageResult {
  const body = content.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (start === '') throw new ReportParseError(source, 'empty coverage report');
  if (start.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ReportParseError(source, `malformed JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!isIstanbulSummary(json)) {
      throw new ReportParseError(source, 'unrecognised JSON coverage: expected an Istanbul coverage-summary.json with total.lines');
    }
    return parseIstanbulSummary(json, source);
  }
  if (start.startsWith('<')) return parseCobertura(parseXml(body, source), source);
  if (looksLikeLcov(body)) return parseLcov(body, source);
  throw new ReportParseError(source, 'unrecognised coverage format: expected lcov, Istanbul coverage-summary.json or Cobertura XML');
}
