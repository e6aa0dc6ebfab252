import { existsSync } from 'node:fs';
import path from 'node:path';
import { isScalar, Scalar } from 'yaml';
import type { UsesRef, YamlFile } from './yaml-doc';
import { workflowUses } from './yaml-doc';

/** The prefix of GitHub's self-repository references (`uses: $/actions/x`, runner 2.336.0+). */
export const SELF_PREFIX = '$/';

/**
 * The repository-relative path a `./x` or `$/x` reference points at, or undefined for
 * remote and docker references. Paths leaving the repository are returned as-is so the
 * caller can report them.
 */
export function localPath(value: string): string | undefined {
  if (!value.startsWith('./') && !value.startsWith(SELF_PREFIX)) return undefined;
  return path.posix.normalize(value.slice(2)).replace(/\/$/, '') || '.';
}

/** Whether a reference's path stays inside the repository and exists there. */
export function existsInRepository(root: string, relative: string): boolean {
  return !relative.startsWith('..') && existsSync(path.join(root, relative));
}

/** Where the `$` of a `$/…` scalar sits in the source text, or undefined when unsure. */
function dollarOffset(text: string, ref: UsesRef): number | undefined {
  if (!isScalar(ref.node) || !ref.node.range) return undefined;
  const quoted = ref.node.type === Scalar.QUOTE_DOUBLE || ref.node.type === Scalar.QUOTE_SINGLE;
  const offset = ref.node.range[0] + (quoted ? 1 : 0);
  return text.startsWith(SELF_PREFIX, offset) ? offset : undefined;
}

/**
 * Returns the workflow text with each `uses: $/<path>` (job or step) whose path exists
 * in this repository rewritten to `uses: ./<path>`. actionlint 1.7.7 rejects `$/` as an
 * action without a ref; `./` is what it resolves to at the running commit, and has the
 * same length, so every line and column actionlint reports stays true of the original.
 */
export function rewriteSelfReferences(root: string, yaml: YamlFile): string {
  let text = yaml.text;
  for (const ref of workflowUses(yaml)) {
    if (!ref.value.startsWith(SELF_PREFIX)) continue;
    const relative = localPath(ref.value);
    const offset = dollarOffset(text, ref);
    if (relative === undefined || offset === undefined || !existsInRepository(root, relative)) continue;
    text = `${text.slice(0, offset)}./${text.slice(offset + SELF_PREFIX.length)}`;
  }
  return text;
}
