import { describe, expect, test } from 'vitest';
import { SUMMARY_LIMIT_BYTES, code, escapeCell, formatDuration, raw, table, truncateSummary } from '@gantry/action-kit/markdown';

test.each([
  ['pipe', 'a | b', 'a \\| b'],
  ['newlines', 'one\ntwo\r\nthree', 'one two three'],
  ['HTML', '<img src=x onerror="alert(1)"> & co', '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co'],
  ['unicode kept', 'naïve ✓ 日本', 'naïve ✓ 日本'],
])('escapeCell: %s', (_label, input, expected) => {
  expect(escapeCell(input)).toBe(expected);
});

test('table escapes cells unless raw, and aligns', () => {
  expect(table(['a', 'b'], [['x|y', '<b>\nz'], [raw('<i>ok</i>'), code('a|b')]], ['l', 'r'])).toBe(
    '| a | b |\n| :--- | ---: |\n| x\\|y | &lt;b&gt; z |\n| <i>ok</i> | <code>a\\|b</code> |\n',
  );
});

test.each([
  [250, '250 ms'],
  [1500, '1.50 s'],
  [42_000, '42.00 s'],
  [90_000, '1 m 30 s'],
  [125_000, '2 m 05 s'],
])('formatDuration(%i) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

describe('truncateSummary', () => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // 1.5 MiB of table rows full of multi-byte characters (3- and 4-byte UTF-8).
  const row = '| テスト 🚀 naïve | 123 ms |\n';
  const big = '### Test results\n\n' + row.repeat(Math.ceil((1.5 * 1024 * 1024) / encoder.encode(row).length));

  test('a 1.5 MiB summary is cut below the limit at a line boundary, as valid UTF-8', () => {
    expect(encoder.encode(big).length).toBeGreaterThan(1.5 * 1024 * 1024);
    const out = truncateSummary(big);
    const bytes = encoder.encode(out);
    expect(bytes.length).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(bytes.length).toBeGreaterThan(SUMMARY_LIMIT_BYTES - 1024);
    expect(() => decoder.decode(bytes)).not.toThrow();
    const [kept, note] = out.split('\n> [!WARNING]\n');
    expect(big.startsWith(kept!)).toBe(true);
    expect(kept!.endsWith(row)).toBe(true);
    const cutBytes = encoder.encode(big).length - encoder.encode(kept!).length;
    const cutLines = (big.length - kept!.length) / row.length;
    expect(note).toBe(`> Summary truncated: ${cutBytes} bytes (${cutLines} lines) were cut to stay under GitHub's 1 MiB step summary limit.\n`);
  });

  test('fits already → unchanged', () => {
    expect(truncateSummary('# small ✓\n')).toBe('# small ✓\n');
    expect(truncateSummary(big, encoder.encode(big).length)).toBe(big);
  });

  test('one long line is cut on a character boundary', () => {
    const out = truncateSummary('🚀'.repeat(1000), 1000);
    const bytes = encoder.encode(out);
    expect(bytes.length).toBeLessThanOrEqual(1000);
    expect(() => decoder.decode(bytes)).not.toThrow();
    expect(out).toMatch(/^(?:🚀)+\n\n> \[!WARNING\]/u);
  });

  test('a code fence left open is closed', () => {
    const markdown = '```text\n' + 'log line\n'.repeat(500) + '```\n';
    const out = truncateSummary(markdown, 1000);
    expect(encoder.encode(out).length).toBeLessThanOrEqual(1000);
    expect(out.match(/^```/gm)).toHaveLength(2);
  });

  test('a limit smaller than the note is refused', () => {
    expect(() => truncateSummary('x'.repeat(100), 50)).toThrow(RangeError);
  });
});
