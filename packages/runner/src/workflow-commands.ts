import type { Annotation } from './types';

/** A parsed `::name prop=value,…::data` line. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** The commands the runner registers; other `::x::` lines are plain output. */
export const KNOWN_COMMANDS = new Set([
  'add-mask', 'add-matcher', 'add-path', 'debug', 'echo', 'endgroup', 'error', 'group',
  'notice', 'remove-matcher', 'save-state', 'set-env', 'set-output', 'stop-commands', 'warning',
]);

function replaceAll(text: string, pairs: [string, string][]): string {
  // Sequential replacement, in the runner's order, so edge cases match it.
  return pairs.reduce((acc, [from, to]) => acc.split(from).join(to), text);
}

/** Undoes @actions/core's escaping of command data. */
export function unescapeData(text: string): string {
  return replaceAll(text, [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']]);
}

/** Undoes @actions/core's escaping of command properties. */
export function unescapeProperty(text: string): string {
  return replaceAll(text, [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']]);
}

/**
 * Parses a workflow command line the way the runner does: leading
 * whitespace allowed, command names case-insensitive, only names in
 * `known` recognised, malformed properties skipped.
 */
export function parseCommandLine(line: string, known: ReadonlySet<string> = KNOWN_COMMANDS): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!known.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const entry of info.slice(space + 1).trim().split(',')) {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      const value = eq < 0 ? '' : entry.slice(eq + 1);
      if (key !== '' && value !== '') properties[key] = unescapeProperty(value);
    }
  }
  return { command, properties, data: unescapeData(text.slice(end + 2)) };
}

const DEPRECATED_COMMANDS_URL = 'https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const DISABLED_COMMANDS_URL = 'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';
const POSITION_PROPERTIES = ['line', 'endLine', 'col', 'endColumn'] as const;

/** What the commands of a run have done so far. Shared by every phase of a run. */
export class CommandEffects {
  readonly annotations: Annotation[] = [];
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly env: Record<string, string> = {};
  readonly path: string[] = [];
  readonly masks: string[] = [];
  readonly warnings: string[] = [];
  /** Set when a command could not be processed: the runner fails the step. */
  failed = false;

  /** Replaces every registered secret by `***` (longest first). */
  mask(text: string): string {
    if (this.masks.length === 0) return text;
    const sorted = [...this.masks].sort((a, b) => b.length - a.length);
    return sorted.reduce((acc, secret) => acc.split(secret).join('***'), text);
  }

  addMask(value: string): void {
    // Lines of a multi-line secret are masked too, since output is masked line by line.
    for (const secret of [value, ...value.split(/\r?\n/)]) {
      if (secret.trim() !== '' && !this.masks.includes(secret)) this.masks.push(secret);
    }
  }
}

/**
 * Interprets one phase's output lines (stdout and stderr alike, as the
 * runner does), including `::stop-commands::` pauses.
 */
export class CommandProcessor {
  private stopToken: string | undefined;

  constructor(
    private readonly effects: CommandEffects,
    private readonly allowUnsecureCommands = false,
  ) {}

  /** Processes a line; returns the command it held, or undefined for plain output. */
  process(line: string): WorkflowCommand | undefined {
    if (this.stopToken !== undefined) {
      const resume = parseCommandLine(line, new Set([this.stopToken.toLowerCase()]));
      if (resume) this.stopToken = undefined;
      return resume;
    }
    const cmd = parseCommandLine(line);
    if (!cmd) return undefined;
    this.apply(cmd, line);
    return cmd;
  }

  private error(message: string): void {
    this.effects.annotations.push({ level: 'error', message });
  }

  private apply(cmd: WorkflowCommand, line: string): void {
    const fx = this.effects;
    switch (cmd.command) {
      case 'stop-commands':
        if (cmd.data === '' || KNOWN_COMMANDS.has(cmd.data.toLowerCase())) {
          fx.warnings.push(`Ignored ::stop-commands:: with the invalid token '${cmd.data}'.`);
        } else this.stopToken = cmd.data;
        return;
      case 'error':
      case 'warning':
      case 'notice':
        fx.annotations.push(this.annotation(cmd.command, cmd));
        return;
      case 'add-mask':
        if (cmd.data.trim() === '') fx.warnings.push("Can't add secret mask for empty string in ##[add-mask] command.");
        else fx.addMask(cmd.data);
        return;
      case 'set-output':
      case 'save-state':
        return this.legacy(cmd, line);
      case 'set-env':
      case 'add-path':
        if (!this.allowUnsecureCommands) {
          this.error(`Unable to process command '${line}' successfully.`);
          this.error(`The \`${cmd.command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: ${DISABLED_COMMANDS_URL}`);
          fx.failed = true;
        } else if (cmd.command === 'add-path') fx.path.push(cmd.data);
        else if (cmd.properties.name) fx.env[cmd.properties.name] = cmd.data;
        return;
      case 'add-matcher':
        fx.warnings.push('Problem matchers (::add-matcher::) are not applied by the Gantry runner.');
        return;
      default:
        return; // debug, group, endgroup, echo, remove-matcher: no effect on the result
    }
  }

  private legacy(cmd: WorkflowCommand, line: string): void {
    const name = cmd.properties.name;
    this.effects.warnings.push(`The \`${cmd.command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: ${DEPRECATED_COMMANDS_URL}`);
    if (!name) {
      this.error(`Unable to process command '${line}' successfully.`);
      this.error(`Required field 'name' is missing in ##[${cmd.command}] command.`);
      this.effects.failed = true;
      return;
    }
    const target = cmd.command === 'set-output' ? this.effects.outputs : this.effects.state;
    target[name] = cmd.data;
  }

  private annotation(level: Annotation['level'], cmd: WorkflowCommand): Annotation {
    const result: Annotation = { level, message: cmd.data };
    const { file, title } = cmd.properties;
    if (file !== undefined) result.file = file;
    for (const key of POSITION_PROPERTIES) {
      const raw = cmd.properties[key];
      if (raw === undefined) continue;
      if (/^\d+$/.test(raw.trim())) result[key] = Number(raw.trim());
      else this.effects.warnings.push(`Invalid value for '${key}' in ::${level}:: (${raw}): ignored.`);
    }
    if (title !== undefined) result.title = title;
    return result;
  }
}
