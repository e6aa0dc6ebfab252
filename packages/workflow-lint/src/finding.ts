/** One problem found in a workflow or action metadata file. */
export type Finding = {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line?: number;
  column?: number;
  /** Which check found it, e.g. `actionlint:expression`, `workflow-parser`, `local-action`. */
  rule: string;
  message: string;
};

/**
 * Renders findings one per line as `file:line:col: [rule] message`
 * (line and column omitted when unknown), in the order given.
 */
export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const position = [f.file, f.line, f.column].filter((part) => part !== undefined).join(':');
      return `${position}: [${f.rule}] ${f.message}`;
    })
    .join('\n');
}

/** Orders findings by file, then line, then column, so output is stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
