import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

export class FileCommandError extends Error {
  override name = 'FileCommandError';
}

/** The env variable names of the file commands, with the runner's file prefixes. */
export const FILE_COMMANDS = {
  GITHUB_OUTPUT: 'set_output_',
  GITHUB_ENV: 'set_env_',
  GITHUB_STATE: 'save_state_',
  GITHUB_PATH: 'add_path_',
  GITHUB_STEP_SUMMARY: 'step_summary_',
} as const;

export type FileCommandVariable = keyof typeof FILE_COMMANDS;
export type FileCommandPaths = Record<FileCommandVariable, string>;

/**
 * Creates fresh, empty file-command files under `<runnerTemp>/_runner_file_commands`,
 * as the runner does before every step.
 */
export function createFileCommandFiles(runnerTemp: string): FileCommandPaths {
  const dir = join(runnerTemp, '_runner_file_commands');
  mkdirSync(dir, { recursive: true });
  const suffix = randomUUID();
  const paths = {} as FileCommandPaths;
  for (const [variable, prefix] of Object.entries(FILE_COMMANDS) as [FileCommandVariable, string][]) {
    paths[variable] = join(dir, prefix + suffix);
    writeFileSync(paths[variable], '');
  }
  return paths;
}

/** Reads a file, treating a file the action deleted as empty. */
export function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Reads one line at `index`; lines end at LF, as on the Linux runner. */
function readLine(text: string, index: number): { line: string; next: number; newline: string } | undefined {
  if (index >= text.length) return undefined;
  const lf = text.indexOf('\n', index);
  if (lf < 0) return { line: text.slice(index), next: text.length, newline: '' };
  return { line: text.slice(index, lf), next: lf + 1, newline: '\n' };
}

/**
 * Parses GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE content: `name=value`
 * lines and `name<<DELIMITER` heredocs, whichever separator comes first.
 * Later entries for one name win.
 */
export function parseKeyValueFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  let index = 0;
  for (let read = readLine(text, index); read; read = readLine(text, index)) {
    index = read.next;
    const line = read.line;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      result[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        throw new FileCommandError(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
      }
      const start = index;
      let end = index;
      for (;;) {
        const value = readLine(text, index);
        if (!value) throw new FileCommandError(`Invalid value. Matching delimiter not found '${delimiter}'`);
        if (value.line === delimiter) { index = value.next; break; }
        index = value.next;
        end = index - value.newline.length;
      }
      result[name] = end > start ? text.slice(start, end) : '';
    } else {
      throw new FileCommandError(`Invalid format '${line}'`);
    }
  }
  return result;
}

/** Parses GITHUB_PATH content: one directory per non-empty line. */
export function parsePathFile(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
