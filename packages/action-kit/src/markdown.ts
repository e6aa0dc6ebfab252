/** Small markdown builders for job summaries; cells are escaped, never raw. */

/** Escapes text for a table cell: pipes, newlines and HTML-significant characters. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured markdown table. Cells are escaped unless wrapped with `raw()`. */
export function table(headers: string[], rows: Array<Array<string | number | Raw>>, align?: Array<'l' | 'r'>): string {
  const cell = (v: string | number | Raw) => (v instanceof Raw ? v.text : escapeCell(String(v)));
  const rule = headers.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [headers.map(cell), rule, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

/** Markdown that a table cell takes as is (already escaped, e.g. a link or code span). */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string): Raw => new Raw(text);

/** An inline code span that survives backticks in the text. */
export function code(text: string): Raw {
  const fence = text.includes('`') ? '``' : '`';
  return raw(`${fence}${escapeCell(text).replace(/\\\|/g, '&#124;')}${fence}`);
}

/** A collapsed section. */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeCell(summary)}</summary>\n\n${body}\n</details>\n`;
}

/** GitHub refuses a step summary over 1 MiB; keep some room for what follows. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 4096;

/**
 * Cuts markdown at a line boundary so its UTF-8 form fits in `maxBytes`,
 * and says how much was cut.
 */
export function truncateToBytes(markdown: string, maxBytes = SUMMARY_LIMIT_BYTES): string {
  const total = Buffer.byteLength(markdown, 'utf8');
  if (total <= maxBytes) return markdown;
  const note = (cut: number) => `\n\n> Summary truncated: ${cut} bytes over GitHub's 1 MiB step-summary limit were left out; the JSON report has everything.\n`;
  const budget = maxBytes - Buffer.byteLength(note(total), 'utf8');
  const lines = markdown.split('\n');
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size > budget) break;
    used += size;
    kept++;
  }
  return lines.slice(0, kept).join('\n') + note(total - used);
}
