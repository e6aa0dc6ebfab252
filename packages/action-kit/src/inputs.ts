import * as core from './runner';
import { InputError } from './errors';
import {
  parseBoolean,
  parseChoice,
  parseDuration,
  parseInteger,
  parseList,
  parseMap,
  parseNumber,
} from './parse';

/** Where raw input values come from: the runner's INPUT_* env by default. */
export type InputSource = (name: string) => string;

/** The runner's convention: INPUT_ + name upper-cased, spaces to `_`, hyphens kept. */
export const envInputSource =
  (env: NodeJS.ProcessEnv = process.env): InputSource =>
  (name) =>
    (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();

type Range = { min?: number; max?: number };

/**
 * Typed reads of action inputs. An empty value means "not given": optional
 * readers return the fallback, required ones refuse with an InputError.
 */
export class InputReader {
  constructor(private readonly source: InputSource = envInputSource()) {}

  raw(name: string): string {
    return this.source(name);
  }

  string(name: string, fallback = ''): string {
    return this.source(name) || fallback;
  }

  required(name: string, expected = 'a value'): string {
    const value = this.source(name);
    if (!value) throw new InputError(name, value, expected);
    return value;
  }

  optional(name: string): string | undefined {
    return this.source(name) || undefined;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.source(name);
    return value ? parseBoolean(name, value) : fallback;
  }

  integer(name: string, fallback: number, range?: Range): number;
  integer(name: string, fallback: undefined, range?: Range): number | undefined;
  integer(name: string, fallback: number | undefined, range: Range = {}): number | undefined {
    const value = this.source(name);
    return value ? parseInteger(name, value, range) : fallback;
  }

  number(name: string, fallback: number, range?: Range): number;
  number(name: string, fallback: undefined, range?: Range): number | undefined;
  number(name: string, fallback: number | undefined, range: Range = {}): number | undefined {
    const value = this.source(name);
    return value ? parseNumber(name, value, range) : fallback;
  }

  /** Milliseconds. */
  duration(name: string, fallback: number): number;
  duration(name: string, fallback: undefined): number | undefined;
  duration(name: string, fallback: number | undefined): number | undefined {
    const value = this.source(name);
    return value ? parseDuration(name, value) : fallback;
  }

  list(name: string): string[] {
    return parseList(this.source(name));
  }

  map(name: string): Record<string, string> {
    return parseMap(name, this.source(name));
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.source(name);
    return value ? parseChoice(name, value, choices) : fallback;
  }

  /** A secret: masked in every later log line before anything can print it. */
  secret(name: string): string | undefined {
    const value = this.source(name);
    if (!value) return undefined;
    maskSecret(value);
    return value;
  }
}

/**
 * Masks a secret, and each of its lines: the runner matches masks per line,
 * so a multi-line secret would otherwise leak line by line.
 */
export function maskSecret(value: string): void {
  if (!value) return;
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) {
    if (line.trim() && line !== value) core.setSecret(line);
  }
}
