import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseArguments, USAGE } from '../../packages/runner/src/cli';
import { findRepoRoot, resolveActionArgument } from '../../packages/runner/src/repo-root';
import { cleanup, tempDir, writeAction } from './fixture';

afterAll(cleanup);

function captureIO() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
    },
  };
}

const greeter = () =>
  writeAction({ inputs: { 'who-to-greet': { default: 'World' } }, runs: { using: 'node20', main: 'main.mjs' } }, {
    'main.mjs': `import { appendFileSync } from 'node:fs';
      const who = process.env['INPUT_WHO-TO-GREET'];
      console.log('::group::Greeting');
      console.log('Hello ' + who);
      console.log('::endgroup::');
      console.log('::debug::not shown');
      console.log('::warning file=src/x.ts,line=4::be careful');
      console.error('to stderr ' + process.env.MODE);
      appendFileSync(process.env.GITHUB_OUTPUT, 'greeting=Hello ' + who + '\\nlines<<E\\na\\nb\\nE\\n');
      appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### Greeted ' + who + '\\n');
      process.exitCode = who === 'fail' ? 4 : 0;`,
  });

describe('gantry run', () => {
  it('streams the rendered log, then outputs and summary, and returns the exit code', async () => {
    const { out, io } = captureIO();
    const code = await main(['run', greeter(), '--with', 'who-to-greet=a=b', '--env=MODE=loud', '--node', 'local'], io);
    expect(code).toBe(0);
    expect(out.stdout).toContain('▸ Greeting\nHello a=b\nwarning: src/x.ts:4: be careful\n');
    expect(out.stdout).not.toContain('::');
    expect(out.stdout).not.toContain('not shown');
    expect(out.stdout).toContain('greeting=Hello a=b\nlines<<EOF\na\nb\nEOF\n');
    expect(out.stdout).toContain('### Greeted a=b\n');
    expect(out.stderr).toBe('to stderr loud\n');
  });

  it('prints the ActionRun as JSON with --json and passes the action exit code through', async () => {
    const { out, io } = captureIO();
    const code = await main(['run', '--json', greeter(), '--with=who-to-greet=fail', '--node=local'], io);
    expect(code).toBe(4);
    const run = JSON.parse(out.stdout);
    expect(run).toMatchObject({ outcome: 'failure', exitCode: 4, outputs: { greeting: 'Hello fail' } });
    expect(run.annotations).toEqual([{ level: 'warning', message: 'be careful', file: 'src/x.ts', line: 4 }]);
  });

  it('keeps RUNNER_TEMP after the run so files named by outputs can be read, and never empties a given one', async () => {
    const reporter = writeAction({ runs: { using: 'node20', main: 'main.mjs' } }, {
      'main.mjs': `import { appendFileSync, writeFileSync } from 'node:fs';
        const path = process.env.RUNNER_TEMP + '/report.json';
        writeFileSync(path, '{"ok":true}');
        appendFileSync(process.env.GITHUB_OUTPUT, 'report=' + path + '\\n');`,
    });
    const { out, io } = captureIO();
    const workspace = tempDir();
    expect(await main(['run', '--json', reporter, '--workspace', workspace, '--node', 'local'], io)).toBe(0);
    const report = JSON.parse(out.stdout).outputs.report as string;
    expect(readFileSync(report, 'utf8')).toBe('{"ok":true}');

    const given = tempDir();
    writeFileSync(join(given, 'keep-me'), 'x');
    const second = captureIO();
    expect(await main(['run', '--json', reporter, '--runner-temp', given, '--node', 'local'], second.io)).toBe(0);
    expect(JSON.parse(second.out.stdout).outputs.report).toBe(join(given, 'report.json'));
    expect(existsSync(join(given, 'keep-me'))).toBe(true);
  });

  it('prints usage for --help', async () => {
    const { out, io } = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.stdout).toBe(USAGE);
  });

  it.each([
    [[], /missing command/],
    [['build', 'x'], /unknown command 'build'/],
    [['run'], /missing <action>/],
    [['run', 'a', 'b'], /unexpected argument 'b'/],
    [['run', 'a', '--with', 'novalue'], /--with needs KEY=VALUE, got 'novalue'/],
    [['run', 'a', '--with', 'k=1', '--with', 'k=2'], /--with k is given more than once/],
    [['run', 'a', '--env'], /--env needs a value/],
    [['run', 'a', '--frobnicate'], /unknown option '--frobnicate'/],
    [['run', 'a', '--json=yes'], /--json takes no value/],
  ])('rejects %j with one clear line and exit code 2', async (argv, message) => {
    const { out, io } = captureIO();
    expect(await main(argv as string[], io)).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stdout).toBe('');
  });

  it('reports an action that cannot be loaded with exit code 2', async () => {
    const { out, io } = captureIO();
    expect(await main(['run', tempDir()], io)).toBe(2);
    expect(out.stderr).toMatch(/^gantry: No action.yml or action.yaml found/);
  });
});

describe('action resolution', () => {
  it('parses repeated options into inputs and env', () => {
    expect(parseArguments(['run', 'x', '--with', 'a=1', '--with', 'b=', '--env', 'E=2', '--workspace', '/w'])).toEqual({
      action: 'x', inputs: { a: '1', b: '' }, env: { E: '2' }, workspace: '/w', json: false,
    });
  });

  it('finds the repository root from a start inside it (source or dist/cli)', () => {
    const root = tempDir();
    mkdirSync(join(root, 'actions', 'hello'), { recursive: true });
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    expect(findRepoRoot([join(root, 'dist', 'cli')])).toBe(root);
    expect(resolveActionArgument('hello', root)).toBe(join(root, 'actions', 'hello'));
    expect(resolveActionArgument('./elsewhere', root)).toBe(join(process.cwd(), 'elsewhere'));
    expect(findRepoRoot()).toBe(join(import.meta.dirname, '..', '..'));
  });
});
