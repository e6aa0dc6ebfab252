import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import path from 'node:path';
import type * as WorkflowParser from '@actions/workflow-parser';
import type * as ActionParser from '@actions/workflow-parser/actions/index';
import type { Finding } from './finding';
import { child, positionOf } from './yaml-doc';
import type { YamlFile } from './yaml-doc';

const RULE = 'workflow-parser';
type Parser = { workflows: typeof WorkflowParser; actions: typeof ActionParser };
type ValidationError = { rawMessage: string; prefix?: string; range?: { start: { line: number; column: number } } };

const HOOK_REGISTERED = Symbol.for('@gantry/workflow-lint/json-import-hook');
let parser: Promise<Parser> | undefined;

/**
 * Imports GitHub's workflow parser after registering the JSON-import hook it needs under
 * Node (see json-import-hook.mjs). Works the same under vitest, which imports
 * node_modules natively, and under plain node.
 */
export function loadWorkflowParser(): Promise<Parser> {
  parser ??= (async () => {
    const flags = globalThis as Record<symbol, unknown>;
    if (!flags[HOOK_REGISTERED]) {
      register('./json-import-hook.mjs', import.meta.url);
      flags[HOOK_REGISTERED] = true;
    }
    const [workflows, actions] = await Promise.all([
      import('@actions/workflow-parser'),
      import('@actions/workflow-parser/actions/index'),
    ]);
    return { workflows, actions };
  })();
  return parser;
}

/** GitHub's allowed `branding.icon` names, read from the parser's action schema. */
export async function brandingIcons(): Promise<Set<string>> {
  const schema = (await loadWorkflowParser()).actions.getActionSchema();
  const icon = schema.getDefinition('branding-icon') as unknown as { oneOf: string[] };
  return new Set(icon.oneOf.map((name) => (schema.getDefinition(name) as unknown as { constant: string }).constant));
}

function toFinding(file: string, error: ValidationError): Finding {
  return {
    file,
    line: error.range?.start.line,
    column: error.range?.start.column,
    rule: RULE,
    // YAML syntax errors carry a code frame after the first line.
    message: error.rawMessage.split('\n')[0]!.replace(/:$/, ''),
  };
}

/** Whether the source at an error's start is a `uses:` of another repository. */
function atRemoteReference(text: string, error: ValidationError): boolean {
  const start = error.range?.start;
  if (!start) return false;
  const rest = (text.split('\n')[start.line - 1] ?? '').slice(start.column - 1).replace(/^['"]/, '');
  return !rest.startsWith('./') && !rest.startsWith('$/');
}

/**
 * Parses and converts a workflow with GitHub's parser, fetching local reusable workflows
 * (`./…` and `$/…`, which 0.3.61 resolves itself) from `root`, so that inputs passed to them
 * are checked. Errors located in another file are left to that file's own check; a remote
 * reusable workflow cannot be fetched offline, so "Unable to find" for it is dropped.
 */
export async function parserWorkflowFindings(root: string, file: string, text: string): Promise<Finding[]> {
  const { workflows } = await loadWorkflowParser();
  const trace = new workflows.NoOperationTraceWriter();
  const parsed = workflows.parseWorkflow({ name: file, content: text }, trace);
  if (parsed.value) {
    const fileProvider = {
      async getFileContent(ref: { path: string; repository?: string }) {
        if (ref.repository) throw new Error('remote reusable workflows are not fetched offline');
        return { name: ref.path, content: await readFile(path.join(root, ref.path), 'utf8') };
      },
    };
    await workflows.convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, { fetchReusableWorkflowDepth: 1 });
  }
  return (parsed.context.errors.getErrors() as ValidationError[])
    .filter((error) => !error.prefix || error.prefix === file || error.prefix.startsWith(`${file} (`))
    .filter((error) => !(error.rawMessage === 'Unable to find reusable workflow' && atRemoteReference(text, error)))
    .map((error) => toFinding(file, error));
}

/**
 * Validates an action.yml against GitHub's action schema. The schema's colour list lacks
 * `black`, which GitHub documents as allowed, so that one error on `branding.color` is dropped.
 */
export async function parserActionFindings(yaml: YamlFile): Promise<Finding[]> {
  const { workflows, actions } = await loadWorkflowParser();
  const parsed = actions.parseAction({ name: yaml.file, content: yaml.text }, new workflows.NoOperationTraceWriter());
  const color = positionOf(yaml, child(child(yaml.doc.contents, 'branding'), 'color'));
  return (parsed.context.errors.getErrors() as ValidationError[])
    .filter(
      (error) =>
        !(error.rawMessage === "Unexpected value 'black'" &&
          error.range?.start.line === color.line &&
          error.range?.start.column === color.column),
    )
    .map((error) => toFinding(yaml.file, error));
}
