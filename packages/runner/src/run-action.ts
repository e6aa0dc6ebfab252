import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { inputEnvName, loadAction, resolveInputs, type ActionDefinition } from './action-file';
import { baseStepEnv, expressionContext, gitEnv } from './environment';
import { evaluateCondition } from './expression';
import { createFileCommandFiles, parseKeyValueFile, parsePathFile, readIfExists, type FileCommandPaths } from './file-commands';
import { resolveNodeBinary } from './node-binary';
import { spawnPhase } from './phase';
import type { ActionRun, Phase, PhaseResult, RunActionOptions } from './types';
import { CommandEffects, CommandProcessor } from './workflow-commands';

/** The runner refuses step summaries above 1 MiB (its attachment size limit). */
const SUMMARY_LIMIT = 1024 * 1024;

interface RunState {
  definition: ActionDefinition;
  options: RunActionOptions;
  node: string;
  workspace: string;
  runnerTemp: string;
  baseEnv: Record<string, string>;
  inputEnv: Record<string, string>;
  effects: CommandEffects;
  summaries: string[];
  stdout: string[];
}

/** Reads one file command back after a phase; a malformed file fails the step, as on the runner. */
function readFileCommand(effects: CommandEffects, name: string, path: string, apply: (text: string) => void): boolean {
  try {
    apply(readIfExists(path));
    return true;
  } catch (error) {
    effects.annotations.push({ level: 'error', message: `Unable to process file command '${name}' successfully.` });
    effects.annotations.push({ level: 'error', message: (error as Error).message });
    return false;
  }
}

function collectFileCommands(run: RunState, files: FileCommandPaths): boolean {
  const fx = run.effects;
  const results = [
    readFileCommand(fx, 'env', files.GITHUB_ENV, (text) => {
      for (const [key, value] of Object.entries(parseKeyValueFile(text))) {
        if (key.toUpperCase() === 'NODE_OPTIONS') {
          fx.annotations.push({ level: 'error', message: "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command." });
        } else fx.env[key] = value;
      }
    }),
    readFileCommand(fx, 'path', files.GITHUB_PATH, (text) => fx.path.push(...parsePathFile(text))),
    readFileCommand(fx, 'output', files.GITHUB_OUTPUT, (text) => Object.assign(fx.outputs, parseKeyValueFile(text))),
    readFileCommand(fx, 'state', files.GITHUB_STATE, (text) => Object.assign(fx.state, parseKeyValueFile(text))),
  ];
  const summary = readIfExists(files.GITHUB_STEP_SUMMARY);
  if (Buffer.byteLength(summary) > SUMMARY_LIMIT) {
    fx.annotations.push({
      level: 'error',
      message: `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got ${Math.floor(Buffer.byteLength(summary) / 1024)}k`,
    });
  } else run.summaries.push(fx.mask(summary));
  return results.every(Boolean);
}

/** PATH with GITHUB_PATH entries in front, the most recently added first (as the runner orders them). */
function prependedPath(added: string[], current: string | undefined): string {
  const unique: string[] = [];
  for (const entry of added) {
    const at = unique.indexOf(entry);
    if (at >= 0) unique.splice(at, 1);
    unique.push(entry);
  }
  return [...unique.reverse(), ...(current ? [current] : [])].join(delimiter);
}

async function runPhase(run: RunState, phase: Phase, script: string): Promise<{ result: PhaseResult; ok: boolean }> {
  const files = createFileCommandFiles(run.runnerTemp);
  const fx = run.effects;
  const stateEnv = Object.fromEntries(Object.entries(fx.state).map(([k, v]) => [`STATE_${k}`, v]));
  const env: Record<string, string> = {
    ...run.baseEnv,
    ...run.inputEnv,
    ...files,
    ...fx.env,
    ...stateEnv,
    ...run.options.env,
  };
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  if (fx.path.length > 0) env[pathKey] = prependedPath(fx.path, env[pathKey]);

  const processor = new CommandProcessor(fx, env.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true');
  const outcome = await spawnPhase({
    node: run.node,
    script: resolve(run.definition.directory, script),
    cwd: run.workspace,
    env,
    timeoutMs: run.options.timeoutMs,
    onLine: (line, stream) => {
      processor.process(line);
      const masked = fx.mask(line);
      run.options.onLine?.(masked, stream, phase);
      return masked;
    },
  });
  if (outcome.timedOut) fx.warnings.push(`The ${phase} phase timed out after ${run.options.timeoutMs} ms and was killed.`);
  const commandsOk = !fx.failed;
  fx.failed = false;
  const filesOk = collectFileCommands(run, files);
  run.stdout.push(outcome.stdout);
  const result: PhaseResult = {
    phase,
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
  };
  return { result, ok: outcome.exitCode === 0 && !outcome.timedOut && commandsOk && filesOk };
}

/**
 * Runs a `runs.using: node<N>` action the way the GitHub runner does:
 * pre (if any), main, then post (if main ran and `post-if` holds), with
 * inputs, file commands, workflow commands, state and masks handled
 * between phases. Never throws for an action failure; throws for a bad
 * action.yml or a missing node binary.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const definition = loadAction(options.action);
  const node = resolveNodeBinary(options.node, definition.nodeMajor, [definition.directory]);
  const workspace = resolve(options.workspace ?? process.cwd());
  const ownTemp = options.runnerTemp === undefined ? mkdtempSync(join(tmpdir(), 'gantry-runner-')) : undefined;
  const runnerTemp = ownTemp ? join(ownTemp, '_temp') : resolve(options.runnerTemp!);
  const toolCache = join(ownTemp ?? runnerTemp, '_tool');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(toolCache, { recursive: true });
  try {
    const extra = options.env ?? {};
    const baseEnv = baseStepEnv({ workspace, runnerTemp, toolCache, actionPath: definition.directory, git: await gitEnv(workspace), extra });
    const { inputs, warnings } = resolveInputs(definition, options.inputs ?? {}, expressionContext(baseEnv, extra, 'success'));
    const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputEnvName(name), value]));
    const effects = new CommandEffects();
    effects.warnings.push(...warnings);
    if (ownTemp && options.keepTemp) effects.warnings.push(`Kept the runner's temporary directory ${ownTemp}.`);
    const run: RunState = { definition, options, node, workspace, runnerTemp, baseEnv, inputEnv, effects, summaries: [], stdout: [] };

    const phases: PhaseResult[] = [];
    const job = { status: 'success' as 'success' | 'failure' };
    const step = async (phase: Phase, script: string) => {
      const { result, ok } = await runPhase(run, phase, script);
      phases.push(result);
      if (!ok) job.status = 'failure';
    };
    const condition = (expr: string) => evaluateCondition(expr, expressionContext(baseEnv, extra, job.status));

    if (definition.pre && condition(definition.preIf)) await step('pre', definition.pre);
    // The main step keeps its default `if: success()`; its post is only registered when it runs.
    if (job.status === 'success') {
      await step('main', definition.main);
      if (definition.post && condition(definition.postIf)) await step('post', definition.post);
    }

    const failedPhase = phases.find((p) => p.exitCode !== 0);
    return {
      exitCode: failedPhase?.exitCode ?? (job.status === 'failure' ? 1 : 0),
      outcome: job.status,
      phases: phases.map((p) => ({ ...p, stdout: effects.mask(p.stdout), stderr: effects.mask(p.stderr) })),
      outputs: { ...effects.outputs },
      summary: run.summaries.join(''),
      annotations: effects.annotations.map((a) => ({ ...a, message: effects.mask(a.message) })),
      state: { ...effects.state },
      exportedEnv: { ...effects.env },
      addedPath: [...effects.path],
      masks: [...effects.masks],
      stdout: effects.mask(run.stdout.join('')),
      warnings: [...effects.warnings],
    };
  } finally {
    if (ownTemp && !options.keepTemp) rmSync(ownTemp, { recursive: true, force: true });
  }
}
