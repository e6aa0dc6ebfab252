import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner protocol an action speaks: workflow commands on stdout and the
 * GITHUB_* file commands. Written here rather than taken from @actions/core,
 * whose import loads its HTTP client (undici, http2, tls…) at start-up: that
 * was half of integrate's cold start, for requests no action of ours makes
 * through it. Same formats as @actions/core 3 (test/action-kit/runner.test.ts
 * compares them through the runner harness).
 */

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::name key=value,…::message` on stdout. Empty properties are left out. */
export function issueCommand(name: string, properties: Record<string, string | number | undefined>, message: string): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

function appendFileCommand(variable: string, name: string, value: string): void {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: this does not look like a GitHub Actions step`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export function setOutput(name: string, value: string | number | boolean): void {
  appendFileCommand('GITHUB_OUTPUT', name, String(value));
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  appendFileCommand('GITHUB_ENV', name, value);
}

export function saveState(name: string, value: string): void {
  appendFileCommand('GITHUB_STATE', name, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function setSecret(value: string): void {
  issueCommand('add-mask', {}, value);
}

function annotate(level: 'error' | 'warning' | 'notice', message: string, p: AnnotationProperties = {}): void {
  issueCommand(level, { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn }, message);
}

export const error = (message: string, properties?: AnnotationProperties) => annotate('error', message, properties);
export const warning = (message: string, properties?: AnnotationProperties) => annotate('warning', message, properties);
export const notice = (message: string, properties?: AnnotationProperties) => annotate('notice', message, properties);
export const debug = (message: string) => issueCommand('debug', {}, message);
export const info = (message: string) => void process.stdout.write(message + EOL);
export const startGroup = (title: string) => issueCommand('group', {}, title);
export const endGroup = () => issueCommand('endgroup', {}, '');

/** Fails the step: an error annotation and exit code 1 once the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends markdown to the job summary. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) throw new Error('GITHUB_STEP_SUMMARY is not set: this does not look like a GitHub Actions step');
  appendFileSync(file, markdown.endsWith(EOL) ? markdown : markdown + EOL, 'utf8');
}
