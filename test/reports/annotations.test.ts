import { describe, expect, test } from 'vitest';
import { limitAnnotations, type Annotation, type AnnotationLevel } from '@gantry/reports';

const make = (level: AnnotationLevel, count: number, placed = true): Annotation[] =>
  Array.from({ length: count }, (_, i) => ({
    level,
    message: `${level} ${i}`,
    ...(placed ? { file: `src/${level}.ts`, startLine: i + 1 } : {}),
  }));

describe('limitAnnotations', () => {
  test.each([
    { label: '25 errors + 5 warnings', errors: 25, warnings: 5, notices: 0, annotated: { error: 10, warning: 5, notice: 0 }, overflow: 15 },
    { label: 'under every cap', errors: 3, warnings: 2, notices: 1, annotated: { error: 3, warning: 2, notice: 1 }, overflow: 0 },
    { label: 'each level capped at 10', errors: 12, warnings: 12, notices: 12, annotated: { error: 10, warning: 10, notice: 10 }, overflow: 6 },
    { label: 'nothing', errors: 0, warnings: 0, notices: 0, annotated: { error: 0, warning: 0, notice: 0 }, overflow: 0 },
  ])('$label', ({ errors, warnings, notices, annotated, overflow }) => {
    const items = [...make('warning', warnings), ...make('error', errors), ...make('notice', notices)];
    const result = limitAnnotations(items);
    const count = (level: AnnotationLevel): number => result.annotate.filter((item) => item.level === level).length;
    expect({ error: count('error'), warning: count('warning'), notice: count('notice') }).toEqual(annotated);
    expect(result.overflow).toHaveLength(overflow);
    expect(result.annotate.length + result.overflow.length).toBe(items.length);
  });

  test('25 errors + 5 warnings: the first ten errors are kept, the rest overflow in order', () => {
    const { annotate, overflow } = limitAnnotations([...make('error', 25), ...make('warning', 5)]);
    expect(annotate.map((item) => item.message)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `error ${i}`),
      ...Array.from({ length: 5 }, (_, i) => `warning ${i}`),
    ]);
    expect(overflow.map((item) => item.message)).toEqual(Array.from({ length: 15 }, (_, i) => `error ${i + 10}`));
  });

  test('per-job cap spends places on errors before warnings before notices', () => {
    const items = [...make('notice', 5), ...make('warning', 5), ...make('error', 5)];
    const { annotate, overflow } = limitAnnotations(items, { perTypePerStep: 10, perJob: 8 });
    expect(annotate.map((item) => item.level)).toEqual(['warning', 'warning', 'warning', 'error', 'error', 'error', 'error', 'error']);
    expect(overflow.filter((item) => item.level === 'notice')).toHaveLength(5);
  });

  test('annotations with file and line are preferred, then file only, then unplaced', () => {
    const unplaced = make('error', 4, false).map((item) => ({ ...item, message: `bare ${item.message}` }));
    const fileOnly: Annotation = { level: 'error', message: 'file only', file: 'a.ts' };
    const placed = make('error', 2);
    const { annotate, overflow } = limitAnnotations([...unplaced, fileOnly, ...placed], { perTypePerStep: 4, perJob: 50 });
    expect(annotate.map((item) => item.message)).toEqual(['bare error 0', 'file only', 'error 0', 'error 1']);
    expect(overflow.map((item) => item.message)).toEqual(['bare error 1', 'bare error 2', 'bare error 3']);
  });
});
