import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Job {
  if: string;
  permissions: Record<string, string>;
  outputs: Record<string, string>;
  steps: Array<{ uses?: string; with?: Record<string, string> }>;
}

const root = join(import.meta.dirname, '..', '..');
const action = parse(readFileSync(join(root, 'actions/package-immutable-image/action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };
const workflow = parse(readFileSync(join(root, '.github/workflows/package.yml'), 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, { default?: unknown; required?: boolean }>; secrets: Record<string, unknown>; outputs: Record<string, { value: string }> } };
  permissions: Record<string, string>;
  jobs: { package: Job; 'package-attested': Job };
};
const call = workflow.on.workflow_call;
const { package: plain, 'package-attested': attested } = workflow.jobs;
const step = (job: Job) => job.steps.find((s) => s.uses === '$/actions/package-immutable-image')!;
// Inputs the workflow sets itself, or that make no sense across jobs (a runner-local layout).
const NOT_INPUTS = ['oci-layout', 'layer-cache', 'github-token', 'registry-password', 'base-registry-username', 'base-registry-password'];

describe('.github/workflows/package.yml mirrors the action', () => {
  it('grants nothing at the top; the plain job only contents: read, packages: write; id-token only in the attesting job', () => {
    expect(workflow.permissions).toEqual({});
    expect(plain.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(attested.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write', attestations: 'write' });
    expect(plain.if).toBe('${{ !inputs.attest }}');
    expect(attested.if).toBe('${{ inputs.attest }}');
  });

  it('takes every action input as an input or a secret', () => {
    expect(Object.keys(call.secrets).sort()).toEqual(['base-registry-password', 'base-registry-username', 'registry-password']);
    const expected = [...Object.keys(action.inputs).filter((name) => !NOT_INPUTS.includes(name)), 'runs-on'].sort();
    expect(Object.keys(call.inputs).sort()).toEqual(expected);
  });

  it('both jobs forward each input; credentials default to the actor and github.token', () => {
    for (const job of [plain, attested]) {
      const w = step(job).with!;
      for (const name of Object.keys(call.inputs).filter((n) => !['runs-on', 'registry-username', 'attest'].includes(n))) {
        expect(w[name], name).toBe(`\${{ inputs.${name} }}`);
      }
      expect(w['registry-username']).toBe('${{ inputs.registry-username || github.actor }}');
      expect(w['registry-password']).toBe('${{ secrets.registry-password || github.token }}');
      expect(w['base-registry-password']).toBe('${{ secrets.base-registry-password }}');
    }
    expect(step(plain).with!.attest).toBe('false');
    expect(step(attested).with).toMatchObject({ attest: 'true', 'github-token': '${{ github.token }}' });
  });

  it('keeps the action defaults and exposes digest and image from whichever job ran', () => {
    for (const [name, input] of Object.entries(call.inputs)) {
      if (['runs-on', 'image', 'attest'].includes(name)) continue;
      expect(String(input.default), name).toBe(String(action.inputs[name]?.default ?? ''));
    }
    expect(call.inputs.attest?.default).toBe(false);
    expect(call.inputs.image?.required).toBe(true);
    for (const name of ['digest', 'image']) {
      expect(call.outputs[name]?.value).toBe(`\${{ jobs.package.outputs.${name} || jobs.package-attested.outputs.${name} }}`);
      expect(plain.outputs[name]).toBe(`\${{ steps.package.outputs.${name} }}`);
      expect(attested.outputs[name]).toBe(`\${{ steps.package.outputs.${name} }}`);
    }
  });
});
