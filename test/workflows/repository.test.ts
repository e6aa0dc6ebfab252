import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFindings, lintRepository } from '../../packages/workflow-lint/src/index';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('this repository', () => {
  it('has workflows and actions with no lint findings', async () => {
    const findings = await lintRepository(repositoryRoot);
    // The formatted list is the failure message, so a red run says what to fix.
    expect(formatFindings(findings), 'lint findings').toBe('');
    expect(findings).toEqual([]);
  });
});
