import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ActionFileError } from './action-file';
import { ExpressionError } from './expression';
import { NodeBinaryError } from './node-binary';
import { LogRenderer } from './render';
import { resolveActionArgument } from './repo-root';
import { runAction } from './run-action';
import type { ActionRun, Phase } from './types';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: gantry run <action> [options]

Runs a node action (its committed bundle) the way the GitHub runner does.
<action> is a name under <repo>/actions/ or a path to an action directory or action.yml.

Options:
  --with KEY=VALUE     an input (repeatable; the value may contain '=')
  --env KEY=VALUE      an environment variable for the step (repeatable)
  --workspace DIR      GITHUB_WORKSPACE and working directory (default: current directory)
  --runner-temp DIR    RUNNER_TEMP (created if missing, never emptied); default: a directory
                       per workspace under the OS temp dir, emptied when a run starts and kept
                       after it, so files named by outputs (a report) can still be read
  --node auto|local|PATH
                       auto: the Node version runs.using names (default); local: this Node
  --json               print the whole run as JSON instead of the log
  -h, --help           show this help
`;

export interface CliArguments {
  action: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
  workspace?: string;
  runnerTemp?: string;
  node?: string;
  json: boolean;
}

function keyValue(option: string, raw: string, into: Record<string, string>): void {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`${option} needs KEY=VALUE, got '${raw}'`);
  const key = raw.slice(0, eq);
  if (key in into) throw new UsageError(`${option} ${key} is given more than once`);
  into[key] = raw.slice(eq + 1);
}

/** Parses `run <action> [options]`; throws UsageError naming the bad argument. */
export function parseArguments(argv: string[]): CliArguments {
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(command === undefined ? 'missing command: expected `gantry run <action>`' : `unknown command '${command}': expected 'run'`);
  const parsed: CliArguments = { action: '', inputs: {}, env: {}, json: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      if (parsed.action) throw new UsageError(`unexpected argument '${arg}': only one <action> is allowed`);
      parsed.action = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq < 0 ? arg : arg.slice(0, eq);
    if (option === '--json') {
      if (eq >= 0) throw new UsageError('--json takes no value');
      parsed.json = true;
      continue;
    }
    if (!['--with', '--env', '--workspace', '--runner-temp', '--node'].includes(option)) throw new UsageError(`unknown option '${option}'`);
    const value: string | undefined = eq < 0 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`${option} needs a value`);
    if (option === '--with') keyValue('--with', value, parsed.inputs);
    else if (option === '--env') keyValue('--env', value, parsed.env);
    else if (value === '') throw new UsageError(`${option} needs a non-empty value`);
    else if (option === '--workspace') parsed.workspace = value;
    else if (option === '--runner-temp') parsed.runnerTemp = value;
    else parsed.node = value;
  }
  if (!parsed.action) throw new UsageError('missing <action>');
  return parsed;
}

function formatOutput(name: string, value: string): string {
  if (!value.includes('\n')) return `${name}=${value}`;
  let delimiter = 'EOF';
  while (value.includes(delimiter)) delimiter += '_';
  return `${name}<<${delimiter}\n${value}\n${delimiter}`;
}

function printResult(run: ActionRun, io: CliIO): void {
  for (const warning of run.warnings) io.stderr.write(`warning: ${warning}\n`);
  const outputs = Object.entries(run.outputs);
  if (outputs.length > 0) {
    io.stdout.write('\n── outputs ──\n');
    for (const [name, value] of outputs) io.stdout.write(`${formatOutput(name, value)}\n`);
  }
  if (run.summary.trim() !== '') io.stdout.write(`\n── summary ──\n${run.summary.endsWith('\n') ? run.summary : `${run.summary}\n`}`);
  io.stdout.write(`\n${run.outcome === 'success' ? '✓' : '✗'} ${run.outcome} (exit code ${run.exitCode})\n`);
}

/**
 * A RUNNER_TEMP that outlives the run, like a job's: the runner empties it per job, and so
 * does each CLI run. One per workspace, so runs on different projects do not clobber each other.
 */
function prepareRunnerTemp(args: CliArguments): string {
  if (args.runnerTemp) {
    // A directory the user named is never emptied: it may hold anything.
    mkdirSync(resolve(args.runnerTemp), { recursive: true });
    return resolve(args.runnerTemp);
  }
  const workspace = resolve(args.workspace ?? process.cwd());
  const dir = join(tmpdir(), 'gantry-runner', createHash('sha256').update(workspace).digest('hex').slice(0, 12));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `gantry` command line. Returns the process exit code: the action's, 2 for
 * bad arguments or an action that cannot be started, 0 for --help.
 */
export async function main(argv: string[], io: CliIO = process): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`gantry: ${error.message} (see gantry --help)\n`);
    return 2;
  }
  const renderers = new Map<Phase, LogRenderer>();
  const onLine = (line: string, stream: 'stdout' | 'stderr', phase: Phase) => {
    let renderer = renderers.get(phase);
    if (!renderer) {
      renderer = new LogRenderer();
      renderers.set(phase, renderer);
      if (phase !== 'main') io.stdout.write(`── ${phase} ──\n`);
    }
    const text = renderer.render(line);
    if (text !== undefined) io[stream].write(`${text}\n`);
  };
  let run: ActionRun;
  try {
    run = await runAction({
      action: resolveActionArgument(args.action),
      inputs: args.inputs,
      env: args.env,
      workspace: args.workspace,
      runnerTemp: prepareRunnerTemp(args),
      node: args.node,
      onLine: args.json ? undefined : onLine,
    });
  } catch (error) {
    if (error instanceof ActionFileError || error instanceof NodeBinaryError || error instanceof ExpressionError) {
      io.stderr.write(`gantry: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.json) io.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else printResult(run, io);
  return run.exitCode;
}
