import type { CoverageFile } from '../types';

/** Percentage 0..100; 100 when nothing is instrumented (Istanbul's convention). */
export function percent(hit: number, found: number): number {
  return found > 0 ? (hit / found) * 100 : 100;
}

/** found/hit counted from per-line hit counts. */
export function countLines(lineHits: Record<number, number>): { linesFound: number; linesHit: number } {
  const counts = Object.values(lineHits);
  return { linesFound: counts.length, linesHit: counts.filter((hits) => hits > 0).length };
}

/**
 * Combines two reports of one file. With line data on both sides the lines
 * are unioned (a line is hit if either run hit it); otherwise the larger
 * report wins, since adding would count the same lines twice.
 */
export function combineFile(a: CoverageFile, b: CoverageFile): CoverageFile {
  if (a.lineHits && b.lineHits) {
    const lineHits: Record<number, number> = { ...a.lineHits };
    for (const [line, hits] of Object.entries(b.lineHits)) {
      lineHits[Number(line)] = (lineHits[Number(line)] ?? 0) + hits;
    }
    return { path: a.path, ...countLines(lineHits), lineHits };
  }
  const larger = b.linesFound > a.linesFound || (b.linesFound === a.linesFound && b.linesHit > a.linesHit) ? b : a;
  return { ...larger, path: a.path };
}

/** Folds reports of the same path together, keeping first-seen order. */
export function mergeByPath(files: CoverageFile[], key: (path: string) => string = (path) => path): CoverageFile[] {
  const byPath = new Map<string, CoverageFile>();
  for (const file of files) {
    const id = key(file.path);
    const seen = byPath.get(id);
    byPath.set(id, seen ? combineFile(seen, file) : file);
  }
  return [...byPath.values()];
}

/** Sums found/hit over files. */
export function sumFiles(files: CoverageFile[]): { linesFound: number; linesHit: number } {
  let linesFound = 0;
  let linesHit = 0;
  for (const file of files) {
    linesFound += file.linesFound;
    linesHit += file.linesHit;
  }
  return { linesFound, linesHit };
}
