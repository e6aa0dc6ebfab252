import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { evaluateTemplate, type ExpressionContext } from './expression';

export class ActionFileError extends Error {
  override name = 'ActionFileError';
}

/** The parts of action.yml the harness runs. */
export interface ActionDefinition {
  /** Absolute path of action.yml. */
  file: string;
  /** Directory of action.yml (GITHUB_ACTION_PATH). */
  directory: string;
  name: string;
  using: string;
  /** The Node major version from `runs.using`, e.g. 24. */
  nodeMajor: number;
  main: string;
  pre?: string;
  preIf: string;
  post?: string;
  postIf: string;
  /** Declared inputs in declaration order, with their raw (unevaluated) defaults. */
  inputs: { name: string; default?: string }[];
  outputs: string[];
}

function asRecord(value: unknown, what: string, file: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ActionFileError(`${file}: ${what} must be a mapping.`);
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, what: string, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ActionFileError(`${file}: ${what} must be a string.`);
}

/** Finds action.yml (or action.yaml) for a directory or file path. */
export function findActionFile(action: string): string {
  const path = resolve(action);
  if (existsSync(path) && statSync(path).isFile()) return path;
  for (const name of ['action.yml', 'action.yaml']) {
    const candidate = join(path, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new ActionFileError(`No action.yml or action.yaml found at ${path}.`);
}

/** Reads and checks an action definition; only `runs.using: node<N>` is supported. */
export function loadAction(action: string): ActionDefinition {
  const file = findActionFile(action);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ActionFileError(`${file}: invalid YAML: ${(error as Error).message}`);
  }
  const root = asRecord(doc, 'the document', file);
  const runs = asRecord(root.runs, 'runs', file);
  const using = optionalString(runs.using, 'runs.using', file) ?? '';
  const match = /^node(\d+)$/i.exec(using.trim());
  if (!match) {
    throw new ActionFileError(
      `${file}: runs.using '${using}' is not supported by the Gantry runner; only node actions (node20, node24, …) are.`,
    );
  }
  const main = optionalString(runs.main, 'runs.main', file);
  if (!main) throw new ActionFileError(`${file}: runs.main is required for a ${using} action.`);
  const inputs = Object.entries(asRecord(root.inputs, 'inputs', file)).map(([name, spec]) => {
    const fields = asRecord(spec, `inputs.${name}`, file);
    return { name, default: optionalString(fields.default, `inputs.${name}.default`, file) };
  });
  return {
    file,
    directory: dirname(file),
    name: optionalString(root.name, 'name', file) ?? dirname(file),
    using,
    nodeMajor: Number(match[1]),
    main,
    pre: optionalString(runs.pre, 'runs.pre', file),
    preIf: optionalString(runs['pre-if'], 'runs.pre-if', file) ?? 'always()',
    post: optionalString(runs.post, 'runs.post', file),
    postIf: optionalString(runs['post-if'], 'runs.post-if', file) ?? 'always()',
    inputs,
    outputs: Object.keys(asRecord(root.outputs, 'outputs', file)),
  };
}

/** The env variable the runner sets for an input: spaces → `_`, upper-cased, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * The inputs a step gets: the given ones (matched case-insensitively),
 * then each missing declared input's evaluated default ('' without one).
 * Undeclared inputs are still passed, with the runner's warning.
 */
export function resolveInputs(
  definition: ActionDefinition,
  given: Record<string, string>,
  ctx: ExpressionContext,
): { inputs: Record<string, string>; warnings: string[] } {
  const declared = new Map(definition.inputs.map((input) => [input.name.toLowerCase(), input]));
  const inputs: Record<string, string> = {};
  const unexpected: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const spec = declared.get(name.toLowerCase());
    if (!spec) unexpected.push(name);
    inputs[spec?.name ?? name] = value;
  }
  for (const input of definition.inputs) {
    if (input.name in inputs) continue;
    inputs[input.name] = input.default === undefined ? '' : evaluateTemplate(input.default, ctx);
  }
  const warnings =
    unexpected.length === 0
      ? []
      : [`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${definition.inputs.map((i) => i.name).join("', '")}']`];
  return { inputs, warnings };
}
