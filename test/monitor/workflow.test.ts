import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Input = { description?: string; required?: boolean; default?: unknown; type?: string };
type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
type Job = { if?: string; permissions?: Record<string, string>; outputs?: Record<string, string>; steps?: Step[] };
type Workflow = {
  on: { workflow_call: { inputs: Record<string, Input>; outputs: Record<string, { value: string }> } };
  permissions: unknown;
  jobs: Record<string, Job>;
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): unknown => parse(readFileSync(`${root}/${file}`, 'utf8'));
const action = read('actions/smoke-monitor/action.yml') as { inputs: Record<string, Input>; outputs: Record<string, unknown> };
const workflow = read('.github/workflows/smoke-monitor.yml') as Workflow;
const call = workflow.on.workflow_call;
const step = (jobId: string) => workflow.jobs[jobId]!.steps!.find((s) => s.uses === '$/actions/smoke-monitor')!;

describe('.github/workflows/smoke-monitor.yml', () => {
  it('declares the action inputs (but the token: each job uses its own) plus runs-on, with the same defaults', () => {
    const mirrored = Object.keys(action.inputs).filter((name) => name !== 'github-token');
    expect(Object.keys(call.inputs).sort()).toEqual([...mirrored, 'runs-on'].sort());
    for (const name of mirrored) {
      expect(String(call.inputs[name]!.default ?? ''), name).toBe(String(action.inputs[name]!.default ?? ''));
      expect(call.inputs[name]!.type, name).toBe(name === 'job-summary' ? 'boolean' : 'string');
    }
  });

  it('grants nothing at the top; read-only for smoke, issues and contents write only for monitor', () => {
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.smoke).toMatchObject({ if: "inputs.mode != 'monitor'", permissions: { contents: 'read' } });
    expect(workflow.jobs.monitor).toMatchObject({ if: "inputs.mode == 'monitor'", permissions: { contents: 'write', issues: 'write' } });
    expect(Object.keys(workflow.jobs).sort()).toEqual(['monitor', 'smoke']);
  });

  it.each(['smoke', 'monitor'])('job %s forwards every input; only monitor hands over a token', (jobId) => {
    const forwarded = Object.fromEntries(Object.keys(action.inputs).map((name) => [name, `\${{ inputs.${name} }}`]));
    forwarded['github-token'] = jobId === 'monitor' ? '${{ github.token }}' : '';
    expect(step(jobId).with).toEqual(forwarded);
  });

  it('exposes every action output from whichever job ran', () => {
    for (const name of Object.keys(action.outputs)) {
      expect(call.outputs[name]?.value, name).toBe(`\${{ jobs.smoke.outputs.${name} || jobs.monitor.outputs.${name} }}`);
      for (const jobId of ['smoke', 'monitor']) {
        expect(workflow.jobs[jobId]!.outputs?.[name]).toBe(`\${{ steps.${step(jobId).id}.outputs.${name} }}`);
      }
    }
  });
});
