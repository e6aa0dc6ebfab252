// Node module hook for @actions/workflow-parser 0.3.x: it imports its schema JSON
// without `with { type: 'json' }`, which Node rejects (ERR_IMPORT_ATTRIBUTE_MISSING).
// Only that package's JSON is served, as an ES module exporting the parsed object.
import { readFile } from 'node:fs/promises';

/** Loads `@actions/workflow-parser/**.json` as `export default <json>`. */
export async function load(url, context, nextLoad) {
  const isParserJson = url.startsWith('file:') && url.endsWith('.json') && url.includes('/@actions/workflow-parser/');
  if (!isParserJson || context.importAttributes?.type === 'json') return nextLoad(url, context);
  const json = await readFile(new URL(url), 'utf8');
  return { format: 'module', source: `export default ${json};`, shortCircuit: true };
}
