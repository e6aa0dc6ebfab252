import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface ProcessResult {
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface SpawnPhaseOptions {
  node: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
  /** Sees each complete line; returns the text to record for it (masked). */
  onLine: (line: string, stream: 'stdout' | 'stderr') => string;
}

/** Grace period between SIGTERM and SIGKILL when a phase times out. */
const KILL_GRACE_MS = 5_000;

/** Splits a byte stream into lines (LF or CRLF), holding back an incomplete last line. */
function lineSplitter(emit: (line: string) => void): { push: (chunk: string) => void; end: () => void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      let lf = pending.indexOf('\n');
      while (lf >= 0) {
        emit(pending.slice(0, lf).replace(/\r$/, ''));
        pending = pending.slice(lf + 1);
        lf = pending.indexOf('\n');
      }
    },
    end() {
      if (pending !== '') emit(pending.replace(/\r$/, ''));
      pending = '';
    },
  };
}

/**
 * Runs `node <script>` like the runner: cwd the workspace, no stdin, both
 * streams read line by line. A process that outlives `timeoutMs` is
 * terminated and reported as failed with 128 + signal number.
 */
export function spawnPhase(options: SpawnPhaseOptions): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.node, [options.script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const recorded = { stdout: [] as string[], stderr: [] as string[] };
    const splitters = {
      stdout: lineSplitter((line) => recorded.stdout.push(options.onLine(line, 'stdout'))),
      stderr: lineSplitter((line) => recorded.stderr.push(options.onLine(line, 'stderr'))),
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => splitters.stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => splitters.stderr.push(chunk));

    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
          }, options.timeoutMs);

    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(new Error(`Could not start ${options.node} ${options.script}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      splitters.stdout.end();
      splitters.stderr.end();
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      const text = (lines: string[]) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);
      resolve({
        exitCode: timedOut && exitCode === 0 ? 128 + constants.signals.SIGTERM : exitCode,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        stdout: text(recorded.stdout),
        stderr: text(recorded.stderr),
      });
    });
  });
}
