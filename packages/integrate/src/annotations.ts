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
        message: [test.message, test.details].filter(Boolean).join('\n\n').slice(0, 4000) || 'failed',
        file: test.file ? workspacePath(test.file, result.workingDirectory, workspace) : undefined,
        line: test.line,
      });
    }
  }
  return annotations;
}
