import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const action = parse(readFileSync(join(root, 'actions/package-immutable-image/action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };
const workflow = parse(readFileSync(join(root, '.github/workflows/package.yml'), 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, { default?: unknown; required?: boolean }>; secrets: Record<string, unknown>; outputs: Record<string, { value: string }> } };
  permissions: Record<string, string>;
  jobs: { package: { permissions: Record<string, string>; steps: Array<{ uses?: string; with?: Record<string, string> }> } };
};
const call = workflow.on.workflow_call;
const step = workflow.jobs.package.steps.find((s) => s.uses === '$/actions/package-immutable-image')!;
const SECRETS = ['registry-password', 'base-registry-username', 'base-registry-password'];

describe('.github/workflows/package.yml mirrors the action', () => {
  it('grants nothing at the top and only contents: read, packages: write to the job (no id-token: nothing is signed)', () => {
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.package.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('takes every action input as an input or a secret, except the runner-local oci-layout', () => {
    const declared = [...Object.keys(call.inputs), ...Object.keys(call.secrets)].sort();
    const expected = [...Object.keys(action.inputs).filter((name) => name !== 'oci-layout'), 'runs-on'].sort();
    expect(declared).toEqual(expected);
  });

  it('forwards each to the action; credentials default to the actor and github.token', () => {
    for (const name of Object.keys(call.inputs).filter((n) => n !== 'runs-on' && n !== 'registry-username')) {
      expect(step.with?.[name], name).toBe(`\${{ inputs.${name} }}`);
    }
    expect(step.with?.['registry-username']).toBe('${{ inputs.registry-username || github.actor }}');
    expect(step.with?.['registry-password']).toBe('${{ secrets.registry-password || github.token }}');
    for (const name of SECRETS.slice(1)) expect(step.with?.[name]).toBe(`\${{ secrets.${name} }}`);
  });

  it('keeps the action defaults and exposes digest and image', () => {
    for (const [name, input] of Object.entries(call.inputs)) {
      if (name === 'runs-on' || name === 'image') continue;
      expect(String(input.default), name).toBe(String(action.inputs[name]?.default ?? ''));
    }
    expect(call.inputs.image?.required).toBe(true);
    expect(call.outputs.digest?.value).toBe('${{ jobs.package.outputs.digest }}');
    expect(call.outputs.image?.value).toBe('${{ jobs.package.outputs.image }}');
  });
});
