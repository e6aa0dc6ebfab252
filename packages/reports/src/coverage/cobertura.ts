import { ReportParseError } from '../errors';
import type { CoverageFile, CoverageResult } from '../types';
import { childrenNamed, type XmlElement } from '../xml';
import { countLines, mergeByPath, percent, sumFiles } from './files';

/**
 * Reads a Cobertura `<coverage>` element. Files come from `<class filename>`
 * with their `<line number hits>` (classes sharing a file are unioned), and
 * are joined to `<source>` when there is exactly one. Totals prefer the root's
 * lines-valid/lines-covered, then the per-file sums; `pct` falls back to
 * line-rate when neither gives any lines.
 */
export function parseCobertura(root: XmlElement, source: string): CoverageResult {
  if (root.name !== 'coverage' || childrenNamed(root, 'project').length > 0) {
    throw new ReportParseError(source, `not a Cobertura report: root <${root.name}>${root.name === 'coverage' ? ' looks like Clover' : ''}`);
  }
  const sources = childrenNamed(root, 'sources').flatMap((list) => childrenNamed(list, 'source'));
  const base = sources.length === 1 ? sources[0]!.text.trim() : '';
  const files: CoverageFile[] = [];
  for (const pkg of childrenNamed(root, 'packages').flatMap((list) => childrenNamed(list, 'package'))) {
    for (const cls of childrenNamed(pkg, 'classes').flatMap((list) => childrenNamed(list, 'class'))) {
      files.push(classFile(cls, base, source));
    }
  }
  const merged = mergeByPath(files);
  const summed = sumFiles(merged);
  const valid = count(root.attrs['lines-valid']);
  const covered = count(root.attrs['lines-covered']);
  const linesFound = valid ?? summed.linesFound;
  const linesHit = valid !== undefined && covered !== undefined ? covered : summed.linesHit;
  const rate = Number(root.attrs['line-rate']);
  const pct = linesFound === 0 && Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate * 100 : percent(linesHit, linesFound);
  return { format: 'cobertura', sources: [source], linesFound, linesHit, pct, files: merged };
}

function classFile(cls: XmlElement, base: string, source: string): CoverageFile {
  const filename = cls.attrs.filename;
  if (!filename) throw new ReportParseError(source, `<class name="${cls.attrs.name ?? ''}"> has no filename`);
  const lineHits: Record<number, number> = {};
  for (const line of childrenNamed(cls, 'lines').flatMap((list) => childrenNamed(list, 'line'))) {
    const number = count(line.attrs.number);
    const hits = count(line.attrs.hits);
    if (number === undefined || hits === undefined) {
      throw new ReportParseError(source, `${filename}: <line> needs integer number and hits`);
    }
    lineHits[number] = (lineHits[number] ?? 0) + hits;
  }
  return { path: joinSource(base, filename), ...countLines(lineHits), lineHits };
}

function joinSource(base: string, filename: string): string {
  if (!base || /^(?:\/|[A-Za-z]:[\\/])/.test(filename)) return filename;
  const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return base.replace(/[\\/]+$/, '') + separator + filename;
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
