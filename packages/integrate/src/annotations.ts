import type { Annotation } from '@gantry/reports';
import { workspacePath } from './collect';
import type { IntegrateResult } from './integrate';

/** One error annotation per failed test, at its file and line when the report has them. */
export function testAnnotations(result: IntegrateResult, workspace: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const suite of result.tests.suites) {
    for (const test of suite.cases) {
      if (test.status !== 'failed') continue;
      const name = [test.classname, test.name].filter(Boolean).join(' › ');
      annotations.push({
        level: 'error',
        title: `Test failed: ${name}`,
        // The message says what failed; the file and line say where. Stack traces stay in the report.
        message: (test.message || firstLines(test.details, 15) || 'failed').slice(0, 4000),
        file: test.file ? workspacePath(test.file, result.workingDirectory, workspace) : undefined,
        startLine: test.line,
      });
    }
  }
  return annotations;
}

function firstLines(text: string | undefined, count: number): string | undefined {
  return text?.split('\n').slice(0, count).join('\n');
}
