import type { Annotation } from './types';
import { CommandEffects, CommandProcessor } from './workflow-commands';

/** An annotation as one log line: `error: file:line: message`. */
export function formatAnnotation(a: Annotation): string {
  const where = a.file ? `${a.file}${a.line !== undefined ? `:${a.line}` : ''}: ` : '';
  return `${a.level}: ${where}${a.message}`;
}

/**
 * Turns an action's raw output lines into what a person reads in a
 * terminal: commands hidden, groups as `▸ title`, annotations as lines.
 * It tracks `::stop-commands::` itself, so it needs one instance per phase.
 */
export class LogRenderer {
  private readonly processor = new CommandProcessor(new CommandEffects(), true);

  /** The text to print for a line, or undefined to print nothing. */
  render(line: string): string | undefined {
    const cmd = this.processor.process(line);
    if (!cmd) return line;
    switch (cmd.command) {
      case 'group':
        return `▸ ${cmd.data}`;
      case 'error':
      case 'warning':
      case 'notice': {
        const p = cmd.properties;
        const lineNo = p.line !== undefined && /^\d+$/.test(p.line) ? Number(p.line) : undefined;
        return formatAnnotation({ level: cmd.command, message: cmd.data, file: p.file, line: lineNo });
      }
      default:
        return undefined;
    }
  }
}
