import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { runStep } from '@gantry/integrate';
import type { StepOutput } from '@gantry/integrate';

function recorder() {
  const events: string[] = [];
  const output: StepOutput = {
    startGroup: (t) => events.push(`group:${t}`),
    endGroup: () => events.push('endgroup'),
    write: (c) => events.push(c),
  };
  return { events, output };
}

const base = { cwd: tmpdir(), env: process.env, timeoutMs: 10_000 };

describe('runStep', () => {
  test('streams output inside a group and succeeds', async () => {
    const { events, output } = recorder();
    const r = await runStep({ name: 'build', origin: 'input', command: 'echo one; echo two >&2' }, { ...base, output });
    expect(r.status).toBe('success');
    expect(r.exitCode).toBe(0);
    expect(events[0]).toBe('group:build: echo one; echo two >&2');
    expect(events.at(-1)).toBe('endgroup');
    expect(events.join('')).toContain('one\n');
    expect(r.outputTail).toContain('two');
  });

  test('pipefail: a failing command inside a pipe fails the step with its code', async () => {
    const { output } = recorder();
    const r = await runStep({ name: 'test', origin: 'input', command: 'false | cat' }, { ...base, output });
    expect(r).toMatchObject({ status: 'failure', exitCode: 1, reason: 'exited with code 1' });
  });

  test('a timeout stops the whole process group', async () => {
    const { output } = recorder();
    const started = Date.now();
    const r = await runStep({ name: 'test', origin: 'input', command: 'sleep 30 & sleep 30; wait' }, { ...base, timeoutMs: 300, output });
    expect(r.status).toBe('timed-out');
    expect(r.reason).toBe('stopped after the step timeout of 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('keeps only the last lines of long output', async () => {
    const { output } = recorder();
    const r = await runStep({ name: 'lint', origin: 'input', command: 'seq 1 1000' }, { ...base, output });
    const lines = r.outputTail!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(41);
    expect(lines.at(-1)).toBe('1000');
  });

  test('a step without a command is skipped with its reason and runs nothing', async () => {
    const { events, output } = recorder();
    const r = await runStep({ name: 'lint', origin: 'default', skipReason: 'no lint script' }, { ...base, output });
    expect(r).toEqual({ name: 'lint', status: 'skipped', durationMs: 0, reason: 'no lint script' });
    expect(events).toEqual([]);
  });
});
