import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../packages/runner/src/run-action';
import { cleanup, writeAction } from './fixture';

afterAll(cleanup);

const repoNodeModules = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** A fixture action that imports the real @actions/core through a node_modules link. */
function coreAction(script: string): string {
  const dir = writeAction(
    {
      inputs: { 'who-to-greet': { default: 'World' }, verbose: { default: 'false' } },
      runs: { using: 'node24', main: 'main.mjs', post: 'post.mjs' },
    },
    {
      'main.mjs': `import * as core from '@actions/core';\n${script}`,
      'post.mjs': `import * as core from '@actions/core';
        core.setOutput('post-saw', core.getState('greeting'));`,
    },
  );
  symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('@actions/core 3 compatibility', () => {
  it('reads inputs and the heredoc file commands core writes', async () => {
    const action = coreAction(`
      const who = core.getInput('who-to-greet', { required: true });
      core.setSecret('tok-abc');
      core.info('using tok-abc');
      core.setOutput('greeting', 'Hello ' + who + '\\nsecond line');
      core.setOutput('verbose', String(core.getBooleanInput('verbose')));
      core.saveState('greeting', 'saved ' + who);
      core.exportVariable('GREETED', who);
      core.addPath('/opt/greeter/bin');
      core.warning('careful: 50%, really', { file: 'a.ts', startLine: 2, title: 'T,1' });
      core.startGroup('details');
      core.info(process.version);
      core.endGroup();
      await core.summary.addHeading('Greeting').addRaw('Hello ' + who).write();
    `);
    const run = await runAction({ action, inputs: { 'who-to-greet': 'Mona' } });
    expect(run.outcome).toBe('success');
    expect(run.outputs).toEqual({ greeting: 'Hello Mona\nsecond line', verbose: 'false', 'post-saw': 'saved Mona' });
    expect(run.state).toEqual({ greeting: 'saved Mona' });
    expect(run.exportedEnv).toEqual({ GREETED: 'Mona' });
    expect(run.addedPath).toEqual(['/opt/greeter/bin']);
    expect(run.annotations).toEqual([{ level: 'warning', message: 'careful: 50%, really', file: 'a.ts', line: 2, title: 'T,1' }]);
    expect(run.summary).toBe('<h1>Greeting</h1>\nHello Mona');
    expect(run.stdout).toContain('using ***');
    expect(run.stdout).toMatch(/^v24\./m);
  });

  it('turns core.setFailed into exit code 1 and an error annotation', async () => {
    const action = coreAction(`core.setFailed('it broke');`);
    const run = await runAction({ action });
    expect(run).toMatchObject({ outcome: 'failure', exitCode: 1 });
    expect(run.annotations).toEqual([{ level: 'error', message: 'it broke' }]);
    expect(run.phases.map((p) => p.phase)).toEqual(['main', 'post']);
  });
});
