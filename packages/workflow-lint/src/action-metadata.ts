import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSeq } from 'yaml';
import type { Finding } from './finding';
import { child, entries, parseYamlFile, positionOf, stringValue } from './yaml-doc';
import type { YamlFile } from './yaml-doc';

const RULE = 'action-metadata';
const USING = ['node20', 'node24', 'composite', 'docker'];
/** GitHub's documented badge colours (docs.github.com, metadata syntax, branding.color). */
export const BRANDING_COLORS: ReadonlySet<string> = new Set([
  'white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark',
]);
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** What a workflow needs to know about an action to check the `with:` it is given. */
export type ActionMetadata = {
  /** The action.yml path relative to the repository root. */
  file: string;
  using: string | undefined;
  /** Declared inputs, keyed by lower-cased name (the runner matches inputs case-insensitively). */
  inputs: Map<string, { name: string; required: boolean; hasDefault: boolean }>;
};

/** The action.yml (or action.yaml) inside `dir`, relative to `root`, if there is one. */
export function actionFileIn(root: string, dir: string): string | undefined {
  return ['action.yml', 'action.yaml']
    .map((name) => path.posix.join(dir, name))
    .find((file) => existsSync(path.join(root, file)));
}

/** Reads the parts of an action's metadata that callers must respect. */
export function actionMetadata(yaml: YamlFile): ActionMetadata {
  const root = yaml.doc.contents;
  const inputs: ActionMetadata['inputs'] = new Map();
  for (const [name, pair] of entries(child(root, 'inputs'))) {
    const required = child(pair.value, 'required');
    inputs.set(name.toLowerCase(), {
      name,
      required: String((required as { value?: unknown } | undefined)?.value) === 'true',
      hasDefault: child(pair.value, 'default') !== undefined,
    });
  }
  return { file: yaml.file, using: stringValue(child(child(root, 'runs'), 'using')), inputs };
}

/** Loads and caches action metadata per directory, so each action.yml is read once. */
export class ActionCatalog {
  private readonly cache = new Map<string, Promise<ActionMetadata | undefined>>();
  constructor(private readonly root: string) {}

  /** Metadata of the action in `dir` (relative to the root), or undefined when there is none. */
  get(dir: string): Promise<ActionMetadata | undefined> {
    let entry = this.cache.get(dir);
    if (!entry) {
      entry = this.load(dir);
      this.cache.set(dir, entry);
    }
    return entry;
  }

  private async load(dir: string): Promise<ActionMetadata | undefined> {
    const file = actionFileIn(this.root, dir);
    if (!file) return undefined;
    return actionMetadata(parseYamlFile(file, await readFile(path.join(this.root, file), 'utf8')));
  }
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/**
 * Structural checks of an action.yml that GitHub only reports when the action runs:
 * required keys, `runs.using`, entry files that exist relative to the action's
 * directory, described and kebab-case inputs, described outputs, and branding.
 */
export function checkActionMetadata(root: string, yaml: YamlFile, brandingIcons: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const report = (node: Parameters<typeof positionOf>[1], message: string) =>
    findings.push({ file: yaml.file, ...positionOf(yaml, node), rule: RULE, message });
  if (yaml.doc.errors.length > 0) {
    for (const error of yaml.doc.errors) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [];
      findings.push({ file: yaml.file, line, column, rule: 'yaml', message: error.message.split('\n')[0] ?? '' });
    }
    return findings;
  }
  const top = yaml.doc.contents;
  for (const key of ['name', 'description']) {
    if (!stringValue(child(top, key))?.trim()) report(child(top, key) ?? top, `"${key}" is required and must be a non-empty string`);
  }

  const runs = child(top, 'runs');
  const using = stringValue(child(runs, 'using'));
  if (!runs) report(top, '"runs" is required');
  else if (!using || !USING.includes(using)) report(child(runs, 'using') ?? runs, `"runs.using" must be one of ${USING.join(', ')}`);
  const actionDir = path.join(root, path.dirname(yaml.file));
  if (using === 'node20' || using === 'node24') {
    if (!child(runs, 'main')) report(runs, '"runs.main" is required for a node action');
    for (const key of ['main', 'pre', 'post']) {
      const node = child(runs, key);
      const entry = stringValue(node);
      if (node && !(entry && isFile(path.resolve(actionDir, entry)))) {
        report(node, `"runs.${key}" ${JSON.stringify(entry ?? '')} is not a file relative to ${path.dirname(yaml.file)}`);
      }
    }
  } else if (using === 'composite' && !isSeq(child(runs, 'steps'))) {
    report(runs, '"runs.steps" must be a list for a composite action');
  } else if (using === 'docker') {
    const image = stringValue(child(runs, 'image'));
    if (!image) report(runs, '"runs.image" is required for a docker action');
    else if (!image.startsWith('docker://') && !isFile(path.resolve(actionDir, image))) {
      report(child(runs, 'image'), `"runs.image" ${JSON.stringify(image)} is neither docker:// nor a Dockerfile relative to the action`);
    }
  }

  for (const [name, pair] of entries(child(top, 'inputs'))) {
    if (!KEBAB_CASE.test(name)) report(pair.key, `input "${name}" should be kebab-case (e.g. working-directory)`);
    if (!stringValue(child(pair.value, 'description'))?.trim()) report(pair.key, `input "${name}" has no description`);
  }
  for (const [name, pair] of entries(child(top, 'outputs'))) {
    if (!stringValue(child(pair.value, 'description'))?.trim()) report(pair.key, `output "${name}" has no description`);
    if (using === 'composite' && child(pair.value, 'value') === undefined) report(pair.key, `output "${name}" of a composite action needs a "value"`);
  }

  const branding = child(top, 'branding');
  const icon = child(branding, 'icon');
  const color = child(branding, 'color');
  if (icon && !brandingIcons.has(stringValue(icon) ?? '')) report(icon, `"branding.icon" ${JSON.stringify(stringValue(icon) ?? '')} is not one of GitHub's allowed Feather icons`);
  if (color && !BRANDING_COLORS.has(stringValue(color) ?? '')) {
    report(color, `"branding.color" ${JSON.stringify(stringValue(color) ?? '')} must be one of ${[...BRANDING_COLORS].join(', ')}`);
  }
  return findings;
}
