import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../packages/workflow-lint/src/index';
import { formatFindings, lintRepository } from '../../packages/workflow-lint/src/index';
import { cleanRepository, removeRepository, writeRepository } from './fixture';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(removeRepository));
});

/** Lints the clean fixture with `changes` applied (path → new content). */
async function lintWith(changes: Record<string, string>): Promise<Finding[]> {
  const root = await writeRepository({ ...cleanRepository, ...changes });
  roots.push(root);
  return lintRepository(root);
}

/** Replaces `from` (which must occur) with `to` in one fixture file. */
function edit(file: string, from: string, to: string): Record<string, string> {
  const content = cleanRepository[file]!;
  if (!content.includes(from)) throw new Error(`fixture ${file} has no ${JSON.stringify(from)}`);
  return { [file]: content.replace(from, to) };
}

describe('lintRepository on fixture repositories', () => {
  it('finds nothing in a clean repository using ./, $/ and a reusable workflow', async () => {
    const findings = await lintWith({});
    expect(formatFindings(findings)).toBe('');
  });

  it('finds script injection from github.event in run:', async () => {
    const findings = await lintWith(edit('.github/workflows/ci.yml', 'run: echo "$TITLE"', 'run: echo "${{ github.event.head_commit.message }}"'));
    expect(findings).toEqual([
      expect.objectContaining({ file: '.github/workflows/ci.yml', line: 17, rule: 'actionlint:expression', message: expect.stringContaining('potentially untrusted') }),
    ]);
  });

  it('finds a YAML syntax error with both linters', async () => {
    const findings = await lintWith(edit('.github/workflows/ci.yml', 'branches: [main]', 'branches: [main'));
    expect(findings.map((f) => f.rule).sort()).toEqual(['actionlint:syntax-check', 'workflow-parser']);
    expect(findings.every((f) => f.file === '.github/workflows/ci.yml')).toBe(true);
  });

  it('finds an input the local action does not declare', async () => {
    const findings = await lintWith(edit('.github/workflows/ci.yml', 'who: world', 'who: world\n          whom: world'));
    expect(findings).toEqual([
      { file: '.github/workflows/ci.yml', line: 14, column: 11, rule: 'local-action', message: expect.stringContaining('input "whom" is not declared by actions/greet/action.yml') },
    ]);
  });

  it('finds a required input without default that is not passed', async () => {
    const findings = await lintWith(edit('.github/workflows/reusable.yml', 'who: ${{ inputs.target }}', 'greeting: Hi'));
    expect(findings).toEqual([
      expect.objectContaining({ file: '.github/workflows/reusable.yml', line: 15, rule: 'local-action', message: 'required input "who" of actions/greet/action.yml is not passed' }),
    ]);
  });

  it('finds $/actions/missing (and actionlint, given it unchanged, rejects it too)', async () => {
    const findings = await lintWith(edit('.github/workflows/reusable.yml', '$/actions/greet', '$/actions/missing'));
    expect(findings).toEqual([
      expect.objectContaining({ line: 15, column: 15, rule: 'actionlint:action', message: expect.stringContaining('"$/actions/missing"') }),
      expect.objectContaining({ line: 15, column: 15, rule: 'local-action', message: expect.stringContaining('no action.yml or action.yaml at actions/missing') }),
    ]);
  });

  it('finds a runs.main that is not a file relative to the action directory', async () => {
    const findings = await lintWith(edit('actions/greet/action.yml', 'main: ../../dist/greet/index.js', 'main: dist/greet/index.js'));
    expect(findings).toEqual([
      { file: 'actions/greet/action.yml', line: 19, column: 9, rule: 'action-metadata', message: expect.stringContaining('"runs.main" "dist/greet/index.js" is not a file') },
    ]);
  });

  it('finds a branding color outside GitHub\'s set, with the parser agreeing', async () => {
    const findings = await lintWith(edit('actions/greet/action.yml', 'color: blue', 'color: pink'));
    expect(findings.map((f) => [f.line, f.rule, f.message])).toEqual([
      [5, 'action-metadata', expect.stringContaining('"branding.color" "pink" must be one of white, black,')],
      [5, 'workflow-parser', "Unexpected value 'pink'"],
    ]);
  });

  it('accepts branding color black, which GitHub documents but the parser schema lacks', async () => {
    expect(await lintWith(edit('actions/greet/action.yml', 'color: blue', 'color: black'))).toEqual([]);
  });

  it('finds action metadata problems: missing description, non-kebab input, bad using', async () => {
    const broken = edit('actions/greet/action.yml', 'description: Says hello.\n', '')['actions/greet/action.yml']!
      .replace('  who:', '  Who_Name:')
      .replace('using: node24', 'using: node12');
    const findings = await lintWith({ 'actions/greet/action.yml': broken });
    const ours = findings.filter((f) => f.rule === 'action-metadata').map((f) => f.message);
    expect(ours).toEqual([
      '"description" is required and must be a non-empty string',
      'input "Who_Name" should be kebab-case (e.g. working-directory)',
      '"runs.using" must be one of node20, node24, composite, docker',
    ]);
  });

  it('finds wrong inputs to a local reusable workflow through the parser', async () => {
    const findings = await lintWith(edit('.github/workflows/ci.yml', 'target: world', 'place: world'));
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ['workflow-parser', 'Input target is required, but not provided while calling.'],
      ['workflow-parser', 'Invalid input, place is not defined in the referenced workflow.'],
    ]);
  });

  it('formats findings as file:line:col: [rule] message', () => {
    expect(
      formatFindings([
        { file: 'a.yml', line: 3, column: 7, rule: 'r', message: 'm' },
        { file: 'b.yml', rule: 'yaml', message: 'no position' },
      ]),
    ).toBe('a.yml:3:7: [r] m\nb.yml: [yaml] no position');
  });
});
