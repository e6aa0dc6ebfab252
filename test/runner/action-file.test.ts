import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ActionFileError, inputEnvName, loadAction, resolveInputs } from '../../packages/runner/src/action-file';
import { cleanup, tempDir, writeAction } from './fixture';

afterAll(cleanup);

const ctx = { contexts: { github: { token: 'ghs_x', workspace: '/ws' }, runner: { temp: '/rt' } }, status: 'success' as const };

describe('loadAction', () => {
  it('reads a node action from a directory or a file, with pre/post defaults', () => {
    const dir = writeAction({ name: 'A', runs: { using: 'node24', main: 'm.js', post: 'p.js' } }, {});
    const def = loadAction(dir);
    expect(def).toMatchObject({ name: 'A', nodeMajor: 24, main: 'm.js', post: 'p.js', preIf: 'always()', postIf: 'always()' });
    expect(loadAction(join(dir, 'action.yml')).directory).toBe(dir);
  });

  it('finds action.yaml too', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'action.yaml'), 'runs:\n  using: node20\n  main: x.js\n');
    expect(loadAction(dir).nodeMajor).toBe(20);
  });

  it('refuses non-node actions and missing files with clear errors', () => {
    const composite = writeAction({ runs: { using: 'composite', steps: [] } }, {});
    expect(() => loadAction(composite)).toThrow(/runs.using 'composite' is not supported.*only node actions/);
    expect(() => loadAction(tempDir())).toThrow(ActionFileError);
    const noMain = writeAction({ runs: { using: 'node24' } }, {});
    expect(() => loadAction(noMain)).toThrow(/runs.main is required/);
  });
});

describe('inputs', () => {
  const def = loadAction(
    writeAction(
      {
        runs: { using: 'node24', main: 'm.js' },
        inputs: {
          'who-to-greet': { default: 'World' },
          token: { default: '${{ github.token }}' },
          'cache dir': { default: '${{ runner.temp }}/cache' },
          plain: { description: 'no default' },
        },
      },
      {},
    ),
  );

  it('names env variables as the runner does: spaces to _, upper case, hyphens kept', () => {
    expect(inputEnvName('who-to-greet')).toBe('INPUT_WHO-TO-GREET');
    expect(inputEnvName('cache dir')).toBe('INPUT_CACHE_DIR');
  });

  it('applies evaluated defaults and matches given names case-insensitively', () => {
    const { inputs, warnings } = resolveInputs(def, { 'Who-To-Greet': 'Mona' }, ctx);
    expect(inputs).toEqual({ 'who-to-greet': 'Mona', token: 'ghs_x', 'cache dir': '/rt/cache', plain: '' });
    expect(warnings).toEqual([]);
  });

  it('passes undeclared inputs on with the runner warning', () => {
    const { inputs, warnings } = resolveInputs(def, { extra: '1', other: '2' }, ctx);
    expect(inputs.extra).toBe('1');
    expect(warnings).toEqual([
      "Unexpected input(s) 'extra', 'other', valid inputs are ['who-to-greet', 'token', 'cache dir', 'plain']",
    ]);
  });
});
