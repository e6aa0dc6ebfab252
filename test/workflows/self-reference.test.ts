import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionlintFindings } from '../../packages/workflow-lint/src/actionlint';
import { rewriteSelfReferences } from '../../packages/workflow-lint/src/self-reference';
import { parserWorkflowFindings } from '../../packages/workflow-lint/src/workflow-parser';
import { parseYamlFile } from '../../packages/workflow-lint/src/yaml-doc';
import { cleanRepository, removeRepository, writeRepository } from './fixture';

const file = '.github/workflows/self.yml';
const workflow = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: $/actions/greet
        with: { who: me }
      - uses: "$/actions/greet"
        with: { who: me }
      - uses: $/actions/missing
      - run: "echo 'uses: $/actions/greet'"
`;

let root: string;
beforeAll(async () => {
  root = await writeRepository(cleanRepository);
});
afterAll(() => removeRepository(root));

describe('self-repository references (uses: $/…)', () => {
  it('are rejected by actionlint 1.7.7 as actions without a ref', async () => {
    const findings = await actionlintFindings(file, workflow);
    expect(findings.map((f) => [f.line, f.column, f.rule])).toEqual([
      [7, 15, 'actionlint:action'],
      [9, 15, 'actionlint:action'],
      [11, 15, 'actionlint:action'],
    ]);
    expect(findings[0]!.message).toContain('ref is missing');
  });

  it('are accepted by workflow-parser 0.3.61', async () => {
    expect(await parserWorkflowFindings(root, file, workflow)).toEqual([]);
  });

  it('are rewritten to ./ only as uses: values whose path exists, keeping every position', async () => {
    const rewritten = rewriteSelfReferences(root, parseYamlFile(file, workflow));
    expect(rewritten).toBe(
      workflow
        .replace('uses: $/actions/greet', 'uses: ./actions/greet')
        .replace('uses: "$/actions/greet"', 'uses: "./actions/greet"'),
    );
    expect(rewritten).toContain("run: \"echo 'uses: $/actions/greet'\"");
    expect(rewritten.length).toBe(workflow.length);
    const findings = await actionlintFindings(file, rewritten);
    expect(findings.map((f) => [f.line, f.column, f.rule])).toEqual([[11, 15, 'actionlint:action']]);
  });
});
