import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionCatalog, actionFileIn, checkActionMetadata } from './action-metadata';
import { actionlintFindings } from './actionlint';
import { sortFindings } from './finding';
import type { Finding } from './finding';
import { checkLocalUses } from './local-uses';
import { rewriteSelfReferences } from './self-reference';
import { brandingIcons, parserActionFindings, parserWorkflowFindings } from './workflow-parser';
import { parseYamlFile } from './yaml-doc';

export type { Finding } from './finding';
export { formatFindings } from './finding';

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** `.github/workflows/*.yml|yaml`, relative to root. */
async function workflowFiles(root: string): Promise<string[]> {
  const dir = '.github/workflows';
  return (await listDir(path.join(root, dir)))
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => `${dir}/${entry.name}`)
    .sort();
}

/** `actions/<name>/action.yml|yaml` and a root action.yml, relative to root. */
async function actionFiles(root: string): Promise<string[]> {
  const dirs = (await listDir(path.join(root, 'actions')))
    .filter((entry) => entry.isDirectory())
    .map((entry) => `actions/${entry.name}`);
  return ['.', ...dirs.sort()].flatMap((dir) => actionFileIn(root, dir) ?? []).map((file) => path.posix.normalize(file));
}

/**
 * Lints a repository's GitHub Actions files offline: every workflow with actionlint and
 * GitHub's workflow parser, every action.yml with the parser and a structural check,
 * and every `uses:` of a local (`./`) or self-repository (`$/`) action for its inputs.
 * Returns all findings sorted by file and position; an empty list means clean.
 */
export async function lintRepository(root: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const catalog = new ActionCatalog(root);
  for (const file of await workflowFiles(root)) {
    const yaml = parseYamlFile(file, await readFile(path.join(root, file), 'utf8'));
    findings.push(...(await actionlintFindings(file, rewriteSelfReferences(root, yaml))));
    findings.push(...(await parserWorkflowFindings(root, file, yaml.text)));
    // Syntax errors are already reported by both linters; the structure is unreliable then.
    if (yaml.doc.errors.length === 0) findings.push(...(await checkLocalUses(root, yaml, catalog)));
  }
  const icons = await brandingIcons();
  for (const file of await actionFiles(root)) {
    const yaml = parseYamlFile(file, await readFile(path.join(root, file), 'utf8'));
    findings.push(...checkActionMetadata(root, yaml, icons));
    findings.push(...(await parserActionFindings(yaml)));
  }
  return sortFindings(findings);
}
