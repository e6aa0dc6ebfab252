/** Markdown builders for job summaries: one place for escaping, tables and the size limit. */

/**
 * Makes text safe for one GitHub markdown table cell: HTML-significant
 * characters become entities, `|` is escaped, and line breaks become spaces.
 */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ')
    .trim();
}

/** Markdown that a table cell takes as is (already escaped: a link, a code element). */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string): Raw => new Raw(text);

/**
 * Inline code for a table cell or a line. `<code>` rather than backticks: GitHub does not
 * decode the entities escaping needs inside backticks.
 */
export function code(text: string): Raw {
  return raw(`<code>${escapeCell(text)}</code>`);
}

/** A GitHub-flavoured markdown table. Cells are escaped unless wrapped with `raw()` or `code()`. */
export function table(header: string[], rows: Array<Array<string | number | Raw>>, align?: Array<'l' | 'r'>): string {
  const cell = (v: string | number | Raw) => (v instanceof Raw ? v.text : escapeCell(String(v)));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : ':---'));
  return [line(header.map(cell)), line(rule), ...rows.map((r) => line(r.map(cell)))].join('\n') + '\n';
}

/** A collapsed section. */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeCell(summary)}</summary>\n\n${body}\n</details>\n`;
}

/** "850 ms", "12.34 s" or "3 m 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`;
}

/** GitHub rejects a step summary over 1 MiB; this leaves room for a footer. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 1024;

/**
 * Returns `markdown` unchanged when it fits in `maxBytes` UTF-8 bytes.
 * Otherwise cuts at the last line boundary that fits, closes a code fence
 * left open, and appends a note saying how many bytes and lines were cut.
 * The result is valid UTF-8 and never longer than `maxBytes`.
 */
export function truncateSummary(markdown: string, maxBytes: number = SUMMARY_LIMIT_BYTES): string {
  const bytes = Buffer.from(markdown, 'utf8');
  if (bytes.length <= maxBytes) return markdown;
  // Sized with the largest numbers it can show (plus a fence and a newline), so the real note fits too.
  const noteBudget = Buffer.byteLength(note(bytes.length, lineCount(markdown))) + '```\n\n'.length;
  const budget = maxBytes - noteBudget;
  if (budget < 0) throw new RangeError(`maxBytes ${maxBytes} is too small for the truncation note`);
  // Keep the newline; being ASCII, it never splits a character.
  let cut = budget > 0 ? bytes.lastIndexOf(0x0a, budget - 1) + 1 : 0;
  if (cut === 0) {
    cut = budget;
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut -= 1; // back off a continuation byte
  }
  let kept = bytes.subarray(0, cut).toString('utf8');
  const rest = bytes.subarray(cut).toString('utf8');
  if (kept !== '' && !kept.endsWith('\n')) kept += '\n';
  if ((kept.match(/^ {0,3}```/gm)?.length ?? 0) % 2 === 1) kept += '```\n';
  return kept + note(bytes.length - cut, lineCount(rest));
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function note(droppedBytes: number, droppedLines: number): string {
  return `\n> [!WARNING]\n> Summary truncated: ${droppedBytes} bytes (${droppedLines} lines) were cut to stay under GitHub's 1 MiB step summary limit.\n`;
}
