import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';

/** A parsed YAML file that can turn node offsets into 1-based line/column. */
export type YamlFile = {
  /** Path relative to the repository root. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
};

/** Parses YAML keeping positions; `doc.errors` holds syntax errors. */
export function parseYamlFile(file: string, text: string): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return { file, text, doc, lines };
}

/** The 1-based line and column where `node` starts, when known. */
export function positionOf(yaml: YamlFile, node: Node | null | undefined): { line?: number; column?: number } {
  if (!node?.range) return {};
  const { line, col } = yaml.lines.linePos(node.range[0]);
  return { line, column: col };
}

/** The mapping entries of `node` as [key, pair], or nothing when it is not a mapping. */
export function entries(node: unknown): Array<[string, Pair<Node, Node | null>]> {
  if (!isMap(node)) return [];
  return (node as YAMLMap<Node, Node | null>).items.flatMap((pair) =>
    isScalar(pair.key) ? [[String(pair.key.value), pair] as [string, Pair<Node, Node | null>]] : [],
  );
}

/** The value node under `key` in a mapping node, or undefined. */
export function child(node: unknown, key: string): Node | null | undefined {
  return entries(node).find(([name]) => name === key)?.[1].value;
}

/** The string value of a scalar node, or undefined for anything else. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A `uses:` value in a workflow: on a job (reusable workflow) or on a step (action). */
export type UsesRef = {
  kind: 'job' | 'step';
  value: string;
  node: Node;
  /** The step's or job's `with:` node, if any. */
  withNode: Node | null | undefined;
};

/** Every job-level and step-level `uses:` of a workflow document. */
export function workflowUses(yaml: YamlFile): UsesRef[] {
  const refs: UsesRef[] = [];
  for (const [, jobPair] of entries(yaml.doc.contents ? child(yaml.doc.contents, 'jobs') : undefined)) {
    const job = jobPair.value;
    const jobUses = child(job, 'uses');
    const jobValue = stringValue(jobUses);
    if (jobUses && jobValue !== undefined) refs.push({ kind: 'job', value: jobValue, node: jobUses, withNode: child(job, 'with') });
    const steps = child(job, 'steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      const uses = child(step, 'uses');
      const value = stringValue(uses);
      if (uses && value !== undefined) refs.push({ kind: 'step', value, node: uses, withNode: child(step, 'with') });
    }
  }
  return refs;
}
