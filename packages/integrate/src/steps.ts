import { spawn } from 'node:child_process';
import { formatDuration } from '@gantry/action-kit/markdown';
import type { PlannedStep, StepResult } from './types';

/** Where step output goes: the action binds it to log groups, tests to a buffer. */
export interface StepOutput {
  startGroup(title: string): void;
  endGroup(): void;
  write(chunk: string): void;
}

export interface RunStepOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  output: StepOutput;
}

const TAIL_LINES = 40;

/**
 * Runs one step's command in bash as a `run:` step would (`-eo pipefail`,
 * no profile), streams its output in a group, keeps the last lines, and
 * stops the whole process group when the timeout passes.
 */
export async function runStep(step: PlannedStep, options: RunStepOptions): Promise<StepResult> {
  if (!step.command) {
    return { name: step.name, status: 'skipped', durationMs: 0, reason: step.skipReason };
  }
  const { output } = options;
  output.startGroup(`${step.name}: ${step.command}`);
  const started = performance.now();
  const tail = new Tail(TAIL_LINES);
  try {
    const { code, timedOut } = await spawnStep(step.command, options, (chunk) => {
      output.write(chunk);
      tail.push(chunk);
    });
    const durationMs = Math.round(performance.now() - started);
    const base = { name: step.name, command: step.command, durationMs, outputTail: tail.text() };
    if (timedOut) {
      return { ...base, status: 'timed-out', reason: `stopped after the step timeout of ${formatDuration(options.timeoutMs)}` };
    }
    if (code !== 0) return { ...base, status: 'failure', exitCode: code, reason: `exited with code ${code}` };
    return { ...base, status: 'success', exitCode: 0 };
  } finally {
    output.endGroup();
  }
}

function spawnStep(
  command: string,
  { cwd, env, timeoutMs }: RunStepOptions,
  onData: (chunk: string) => void,
): Promise<{ code: number; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout stops the step's children too.
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 + signalNumber(signal) : 1), timedOut });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGTERM: 15, SIGKILL: 9, SIGINT: 2 } as Record<string, number>)[signal] ?? 1;
}

/** Keeps the last `max` lines of a stream without holding all of it. */
class Tail {
  private lines: string[] = [''];
  constructor(private readonly max: number) {}

  push(chunk: string): void {
    const parts = chunk.split('\n');
    this.lines[this.lines.length - 1] += parts[0];
    this.lines.push(...parts.slice(1));
    if (this.lines.length > this.max + 1) this.lines.splice(0, this.lines.length - this.max - 1);
  }

  text(): string {
    return this.lines.join('\n').replace(/\n$/, '');
  }
}
