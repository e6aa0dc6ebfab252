import type { Annotation, AnnotationLevel, AnnotationLimits } from './types';

/** GitHub's documented caps: 10 of each level per step, 50 per job. */
export const GITHUB_ANNOTATION_LIMITS: AnnotationLimits = { perTypePerStep: 10, perJob: 50 };

const LEVEL_RANK: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 2 };

/**
 * Splits annotations into those GitHub will show and the overflow (for the
 * job summary). Selection prefers errors over warnings over notices, then
 * those with file and line, then file only, then input order. Both lists
 * keep the input order.
 */
export function limitAnnotations(
  items: Annotation[],
  limits: AnnotationLimits = GITHUB_ANNOTATION_LIMITS,
): { annotate: Annotation[]; overflow: Annotation[] } {
  const byUsefulness = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index);
  const perLevel: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const chosen = new Set<number>();
  for (const { item, index } of byUsefulness) {
    if (chosen.size >= limits.perJob) break;
    if (perLevel[item.level] >= limits.perTypePerStep) continue;
    perLevel[item.level] += 1;
    chosen.add(index);
  }
  const annotate: Annotation[] = [];
  const overflow: Annotation[] = [];
  items.forEach((item, index) => (chosen.has(index) ? annotate : overflow).push(item));
  return { annotate, overflow };
}

function rank(item: Annotation): number {
  const placement = item.file ? (item.startLine !== undefined ? 0 : 1) : 2;
  return LEVEL_RANK[item.level] * 3 + placement;
}
