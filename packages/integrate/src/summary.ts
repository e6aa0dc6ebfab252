import { code, formatDuration, table, truncateSummary } from '@gantry/action-kit/markdown';
import { renderCoverageSummary, renderTestSummary } from '@gantry/reports';
import type { Annotation } from '@gantry/reports';
import type { IntegrateResult } from './integrate';

const STATUS_ICON: Record<string, string> = {
  success: '✅ passed',
  failure: '❌ failed',
  'timed-out': '⏱️ timed out',
  skipped: '⏭️ skipped',
  'not-run': '➖ not run',
};

const HIT_TEXT = { true: 'hit', partial: 'partial hit (fallback key)', false: 'miss' } as const;

/** The job summary of one integrate run, kept under GitHub's 1 MiB limit. */
export function renderSummary(result: IntegrateResult, overflow: Annotation[] = []): string {
  const parts: string[] = [];
  const verdict = result.result === 'success' ? '✅ success' : `❌ failure — ${result.failure}`;
  parts.push(`## Gantry integrate: ${verdict}`);
  parts.push(`**${result.toolchain}** (${result.language}, ${result.runtime}) in ${code(result.workingDirectory).text}, ${formatDuration(result.durationMs)} in all.\n`);
  parts.push(
    table(
      ['Step', 'Result', 'Time', 'Command or reason'],
      result.steps.map((s) => [
        s.name,
        STATUS_ICON[s.status] ?? s.status,
        s.status === 'skipped' || s.status === 'not-run' ? '' : formatDuration(s.durationMs),
        s.command && s.status !== 'skipped' ? code(s.command) : (s.reason ?? ''),
      ]),
      ['l', 'l', 'r', 'l'],
    ),
  );
  const c = result.cache;
  const cacheLine = c.enabled
    ? `**Cache:** ${HIT_TEXT[c.hit]}${c.matchedKey ? ` (\`${c.matchedKey}\`)` : ''}; ${c.reason}.` +
      (c.saved !== undefined ? ` Save: ${c.saveReason}.` : '')
    : `**Cache:** off — ${c.reason}.`;
  parts.push(cacheLine);
  if (result.tests.suites.length > 0) parts.push(renderTestSummary(result.tests.suites, { slowest: 5, maxFailures: 50 }));
  else parts.push('### Test results\n\nNo JUnit report written by this run matched `junit-reports`.\n');
  if (result.coverage.coverage) parts.push(renderCoverageSummary(result.coverage.coverage));
  if (result.coverage.threshold !== undefined) parts.push(`Coverage threshold: ${result.coverage.threshold}%.`);
  const stale = [...result.tests.stale, ...result.coverage.stale];
  if (stale.length > 0) parts.push(`${stale.length} report file(s) older than this run were ignored.`);
  if (overflow.length > 0) {
    parts.push(`### More problems (over GitHub's annotation limits)\n\n` + table(['Level', 'Where', 'Message'], overflow.map((a) => [a.level, a.file ? `${a.file}${a.startLine ? `:${a.startLine}` : ''}` : '', a.message.split('\n')[0] ?? ''])));
  }
  // Blank lines between blocks: GFM does not start a table right after a paragraph.
  return truncateSummary(parts.map((p) => p.trim()).join('\n\n') + '\n');
}
