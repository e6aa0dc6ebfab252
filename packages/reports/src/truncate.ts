/** GitHub rejects a step summary over 1 MiB; this leaves room for a footer. */
export const DEFAULT_SUMMARY_LIMIT = 1024 * 1024 - 1024;

/**
 * Returns `markdown` unchanged when it fits in `maxBytes` UTF-8 bytes.
 * Otherwise cuts at the last line boundary that fits, closes a code fence
 * left open, and appends a note saying how many bytes and lines were cut.
 * The result is valid UTF-8 and never longer than `maxBytes`.
 */
export function truncateSummary(markdown: string, maxBytes: number = DEFAULT_SUMMARY_LIMIT): string {
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
