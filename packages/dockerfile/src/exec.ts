import { spawn } from 'node:child_process';
import type { Logger } from '@gantry/action-kit';

export interface ToolRun {
  code: number | null;
  /** The last lines of stdout and stderr together, for error messages. */
  tail: string[];
  stdout: string;
}

const TAIL_LINES = 25;

/**
 * Runs a build tool, passing each output line to `logger.info` (builds are
 * long; their progress belongs in the log) and keeping the last lines for an
 * error. Never throws for a non-zero exit: the caller words the error.
 */
export function runTool(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; logger: Logger; quiet?: boolean }): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let stdout = '';
    const lines = (stream: NodeJS.ReadableStream, keep: boolean) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (keep) stdout += chunk;
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        parts.forEach(emit);
      });
      stream.on('end', () => rest && emit(rest));
    };
    const emit = (line: string) => {
      const text = line.replace(/\r$/, '');
      if (!text.trim()) return;
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      if (options.quiet) options.logger.debug(text);
      else options.logger.info(text);
    };
    lines(child.stdout, true);
    lines(child.stderr, false);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, tail, stdout }));
  });
}

/** The stdout of `command args` when it runs and exits 0, else undefined (tool detection). */
export async function probe(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', () => (clearTimeout(timer), resolve(undefined)));
    child.on('close', (code) => (clearTimeout(timer), resolve(code === 0 ? stdout : undefined)));
  });
}
