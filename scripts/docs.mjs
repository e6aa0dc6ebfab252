#!/usr/bin/env node
// Regenerates the input and output tables of every actions/<name>/README.md from its action.yml,
// between <!-- inputs --> / <!-- outputs --> markers, and the root action.yml (the Marketplace
// entry) from actions/integrate/action.yml. `--check` fails instead of writing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const cell = (text) => String(text ?? '').trim().replace(/\|/g, '\\|').replace(/\s*\n\s*/g, '<br>');
const code = (text) => (text.includes('\n') ? text.trim().split('\n').map((l) => `\`${l}\``).join('<br>') : `\`${text}\``);

export function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(([name, i]) => {
    const def = i.default === undefined || i.default === '' ? '' : code(String(i.default));
    return `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${def} | ${cell(i.description)} |`;
  });
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBetween(text, marker, body) {
  const pattern = new RegExp(`(<!-- ${marker}:start -->\\n)[\\s\\S]*?(<!-- ${marker}:end -->)`);
  if (!pattern.test(text)) throw new Error(`missing <!-- ${marker}:start --> / <!-- ${marker}:end --> markers`);
  return text.replace(pattern, (_, a, b) => `${a}${body}\n${b}`);
}

let stale = 0;
for (const name of readdirSync(join(root, 'actions'))) {
  const readme = join(root, 'actions', name, 'README.md');
  if (!existsSync(readme)) continue;
  const action = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8'));
  const before = readFileSync(readme, 'utf8');
  const after = replaceBetween(replaceBetween(before, 'inputs', inputsTable(action)), 'outputs', outputsTable(action));
  if (before === after) continue;
  if (check) {
    stale++;
    console.error(`actions/${name}/README.md: input/output tables differ from action.yml; run \`npm run docs\``);
  } else {
    writeFileSync(readme, after);
    console.log(`docs: actions/${name}/README.md updated`);
  }
}
// The Marketplace lists only a root action.yml: it is the flagship, integrate, generated from
// actions/integrate/action.yml with the bundle path made relative to the root.
const flagship = readFileSync(join(root, 'actions', 'integrate', 'action.yml'), 'utf8');
const rootAction =
  '# Generated from actions/integrate/action.yml by `npm run docs`: the Marketplace lists only the root\n' +
  '# action.yml. Use the actions under actions/ directly: OWNER/gantry/actions/<name>@v1.\n' +
  flagship.replace('main: ../../dist/integrate/index.js', 'main: dist/integrate/index.js');
const rootPath = join(root, 'action.yml');
if (!existsSync(rootPath) || readFileSync(rootPath, 'utf8') !== rootAction) {
  if (check) {
    stale++;
    console.error('action.yml (root) differs from actions/integrate/action.yml; run `npm run docs`');
  } else {
    writeFileSync(rootPath, rootAction);
    console.log('docs: action.yml (root) updated');
  }
}
process.exitCode = stale ? 1 : 0;
