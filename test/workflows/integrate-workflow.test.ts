import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Input = { description?: string; required?: boolean; default?: unknown; type?: string };
type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { outputs?: Record<string, string>; steps?: Step[]; permissions?: unknown };
type Workflow = {
  on: { workflow_call?: { inputs: Record<string, Input>; outputs: Record<string, { value: string }> } };
  permissions?: unknown;
  jobs: Record<string, Job>;
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): unknown => parse(readFileSync(`${root}/${file}`, 'utf8'));
const action = read('actions/integrate/action.yml') as { inputs: Record<string, Input>; outputs: Record<string, unknown> };
const workflow = read('.github/workflows/integrate.yml') as Workflow;
const call = workflow.on.workflow_call!;
/** Inputs the workflow adds for the job itself: the runner and language runtimes. */
const workflowOnlyInputs = ['runs-on', 'node-version', 'python-version', 'go-version', 'java-version'];

/** The one step running the integrate action from this repository, and its job. */
function integrateStep(): { jobId: string; step: Step } {
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const step = job.steps?.find((s) => s.uses === '$/actions/integrate');
    if (step) return { jobId, step };
  }
  throw new Error('no step uses $/actions/integrate');
}

describe('.github/workflows/integrate.yml mirrors actions/integrate/action.yml', () => {
  it('declares exactly the action inputs plus the runner and runtime versions', () => {
    expect(Object.keys(call.inputs).sort()).toEqual([...Object.keys(action.inputs), ...workflowOnlyInputs].sort());
  });

  it.each(Object.keys(action.inputs))('input %s has the same default, required flag and a fitting type', (name) => {
    const declared = action.inputs[name]!;
    const mirrored = call.inputs[name]!;
    expect(String(mirrored.default ?? '')).toBe(String(declared.default ?? ''));
    expect(mirrored.required ?? false).toBe(declared.required ?? false);
    const booleanInput = /true or false/.test(declared.description ?? '') && ['true', 'false'].includes(String(declared.default));
    if (booleanInput) expect(mirrored.type).toBe('boolean');
    else if (mirrored.type === 'number') expect(Number.isFinite(Number(declared.default))).toBe(true);
    else expect(mirrored.type).toBe('string');
  });

  it('forwards every action input to the action unchanged', () => {
    const { step } = integrateStep();
    const forwarded = Object.fromEntries(Object.keys(action.inputs).map((name) => [name, `\${{ inputs.${name} }}`]));
    expect(step.with).toEqual(forwarded);
  });

  it('exposes every action output as a workflow output through the job', () => {
    const { jobId, step } = integrateStep();
    for (const name of Object.keys(action.outputs)) {
      expect(call.outputs[name]?.value, `workflow output ${name}`).toBe(`\${{ jobs.${jobId}.outputs.${name} }}`);
      expect(workflow.jobs[jobId]!.outputs?.[name], `job output ${name}`).toBe(`\${{ steps.${step.id}.outputs.${name} }}`);
    }
  });

  it('grants only contents: read', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });
});

const workflowFiles = readdirSync(`${root}/.github/workflows`).filter((name) => /\.ya?ml$/.test(name));

describe('every workflow', () => {
  it('exists', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'integrate.yml']));
  });

  it.each(workflowFiles)('%s sets explicit top-level permissions', (name) => {
    const parsed = read(`.github/workflows/${name}`) as Workflow;
    expect(parsed.permissions, 'top-level permissions').toBeTypeOf('object');
    for (const [jobId, job] of Object.entries(parsed.jobs)) {
      if (job.permissions !== undefined) expect(job.permissions, `permissions of job ${jobId}`).toBeTypeOf('object');
    }
  });

  it.each(workflowFiles)('%s passes values into run: scripts only through env', (name) => {
    const parsed = read(`.github/workflows/${name}`) as Workflow;
    const runs = Object.values(parsed.jobs).flatMap((job) => job.steps ?? []).flatMap((step) => step.run ?? []);
    expect(runs.filter((script) => script.includes('${{'))).toEqual([]);
  });
});
