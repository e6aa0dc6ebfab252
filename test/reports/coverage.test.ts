import { describe, expect, test } from 'vitest';
import { mergeCoverage, parseCoverage, ReportParseError, type CoverageResult } from '@gantry/reports';
import { fixture } from './fixtures';

const load = (name: string): CoverageResult => parseCoverage(fixture(`coverage/${name}`), `coverage/${name}`);
const fileSummary = (result: CoverageResult): [string, number, number][] =>
  result.files.map((file) => [file.path, file.linesFound, file.linesHit]);

describe('parseCoverage detects and parses each format', () => {
  test.each([
    { name: 'web/lcov.info', format: 'lcov', found: 15, hit: 11 },
    { name: 'web/coverage-summary.json', format: 'istanbul-summary', found: 15, hit: 11 },
    { name: 'python/coverage.xml', format: 'cobertura', found: 12, hit: 9 },
    { name: 'cobertura-java.xml', format: 'cobertura', found: 7, hit: 5 },
  ])('$name → $format $hit/$found', ({ name, format, found, hit }) => {
    const result = load(name);
    expect(result).toMatchObject({ format, linesFound: found, linesHit: hit, sources: [`coverage/${name}`] });
    expect(result.pct).toBeCloseTo((hit / found) * 100, 10);
  });

  test('lcov: LF/LH used when present, DA counted when absent', () => {
    expect(fileSummary(load('web/lcov.info'))).toEqual([
      ['src/cart.ts', 10, 8],
      ['src/price.ts', 5, 3],
    ]);
    expect(load('web/lcov.info').files[1]!.lineHits).toEqual({ 1: 1, 2: 1, 3: 1, 7: 0, 8: 0 });
  });

  test('lcov: records of one file from several tests are unioned by line', () => {
    const lcov = 'TN:unit\nSF:a.ts\nDA:1,1\nDA:2,0\nDA:3,0\nend_of_record\nTN:e2e\nSF:a.ts\nDA:1,0\nDA:2,5\nDA:3,0\nend_of_record\n';
    const result = parseCoverage(lcov, 'lcov.info');
    expect(fileSummary(result)).toEqual([['a.ts', 3, 2]]);
    expect(result.pct).toBeCloseTo(66.667, 2);
  });

  test('istanbul summary: per-file entries, "Unknown" pct ignored', () => {
    expect(fileSummary(load('web/coverage-summary.json'))).toEqual([
      ['/home/runner/work/shop/shop/src/cart.ts', 10, 8],
      ['/home/runner/work/shop/shop/src/price.ts', 5, 3],
    ]);
  });

  test('cobertura: a single <source> is joined; classes of one file are unioned', () => {
    expect(fileSummary(load('python/coverage.xml'))).toEqual([
      ['/home/runner/work/calc/calc/src/calc/__init__.py', 1, 1],
      ['/home/runner/work/calc/calc/src/calc/core.py', 6, 5],
      ['/home/runner/work/calc/calc/src/calc/db.py', 5, 3],
    ]);
    // Two <source>s: ambiguous, so the filename stays as written.
    expect(fileSummary(load('cobertura-java.xml'))).toEqual([['com/acme/Calculator.java', 7, 5]]);
  });

  test('cobertura with only line-rate keeps that percentage', () => {
    const result = parseCoverage('<coverage line-rate="0.625" branch-rate="0" version="1" timestamp="1"><packages/></coverage>', 'c.xml');
    expect(result).toMatchObject({ linesFound: 0, linesHit: 0, pct: 62.5, files: [] });
  });

  test.each([
    ['empty lcov record', 'TN:\nSF:empty.ts\nend_of_record\n'],
    ['istanbul summary with no lines', '{"total":{"lines":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}}}'],
    ['cobertura without classes', '<coverage lines-valid="0" lines-covered="0" line-rate="NaN" version="0.1" timestamp="1"><packages></packages></coverage>'],
  ])('no lines at all → pct 100, not NaN (%s)', (_label, content) => {
    const result = parseCoverage(content, 'x');
    expect(result.linesFound).toBe(0);
    expect(result.pct).toBe(100);
  });

  test.each([
    ['empty file', '', /cov\/report: empty coverage report/],
    ['broken JSON', '{"total": {', /cov\/report: malformed JSON/],
    ['JSON that is not a summary', '{"/src/a.js": {"path": "/src/a.js", "s": {}}}', /cov\/report: unrecognised JSON coverage/],
    ['malformed XML', '<coverage line-rate="1"><packages></coverage>', /cov\/report: malformed XML at line 1/],
    ['Clover XML', '<coverage generated="1" clover="3.2.0"><project timestamp="1"/></coverage>', /cov\/report: not a Cobertura report.*Clover/],
    ['JUnit handed to coverage', '<testsuites/>', /cov\/report: not a Cobertura report: root <testsuites>/],
    ['plain text', 'All files | 80 | 70 |', /cov\/report: unrecognised coverage format/],
    ['bad DA line', 'SF:a.ts\nDA:x,1\nend_of_record', /cov\/report: line 2: malformed DA record/],
    ['cobertura line without hits', '<coverage><packages><package><classes><class filename="a.py"><lines><line number="1"/></lines></class></classes></package></packages></coverage>', /cov\/report: a\.py: <line> needs integer number and hits/],
  ])('%s → ReportParseError naming the file', (_label, content, message) => {
    expect(() => parseCoverage(content, 'cov/report')).toThrow(ReportParseError);
    expect(() => parseCoverage(content, 'cov/report')).toThrow(message);
  });
});

describe('mergeCoverage', () => {
  test('lcov + json-summary of one run (same directory) count once, lcov kept', () => {
    const merged = mergeCoverage([load('web/coverage-summary.json'), load('web/lcov.info')]);
    expect(merged).toMatchObject({ format: 'lcov', linesFound: 15, linesHit: 11, sources: ['coverage/web/lcov.info'] });
  });

  test('reports of different runs in different directories add up', () => {
    const merged = mergeCoverage([load('web/lcov.info'), load('web/coverage-summary.json'), load('python/coverage.xml')]);
    expect(merged).toMatchObject({ format: 'mixed', linesFound: 27, linesHit: 20 });
    expect(merged.sources).toEqual(['coverage/web/lcov.info', 'coverage/python/coverage.xml']);
    expect(merged.pct).toBeCloseTo((20 / 27) * 100, 10);
    expect(merged.files).toHaveLength(5);
  });

  test('one file covered by two runs is unioned line by line', () => {
    const unit = parseCoverage('SF:./src/a.ts\nDA:1,1\nDA:2,0\nDA:3,0\nend_of_record\n', 'unit/lcov.info');
    const e2e = parseCoverage('SF:src\\a.ts\nDA:1,0\nDA:2,3\nDA:3,0\nDA:4,1\nend_of_record\n', 'e2e/lcov.info');
    const merged = mergeCoverage([unit, e2e]);
    expect(merged).toMatchObject({ linesFound: 4, linesHit: 3, pct: 75 });
    expect(merged.files.map((file) => file.path)).toEqual(['./src/a.ts']);
  });

  test('one file in two runs without line data: the larger report wins', () => {
    const a = parseCoverage('{"total":{"lines":{"total":10,"covered":4}},"src/a.ts":{"lines":{"total":10,"covered":4}}}', 'a/coverage-summary.json');
    const b = parseCoverage('{"total":{"lines":{"total":10,"covered":7}},"src/a.ts":{"lines":{"total":10,"covered":7}}}', 'b/coverage-summary.json');
    expect(mergeCoverage([a, b])).toMatchObject({ format: 'istanbul-summary', linesFound: 10, linesHit: 7, pct: 70 });
  });

  test('nothing to merge → 0 lines at 100%', () => {
    expect(mergeCoverage([])).toMatchObject({ linesFound: 0, linesHit: 0, pct: 100, files: [], sources: [] });
  });
});
