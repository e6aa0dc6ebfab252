import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFiles } from '../support/temp';

/** A small repository that passes every check; tests break one file at a time. */
export const cleanRepository: Record<string, string> = {
  'actions/greet/action.yml': `name: Greet
description: Says hello.
branding:
  icon: check-circle
  color: blue
inputs:
  who:
    description: Whom to greet.
    required: true
  greeting:
    description: The word to use.
    required: true
    default: Hello
outputs:
  said:
    description: What was said.
runs:
  using: node24
  main: ../../dist/greet/index.js
`,
  'dist/greet/index.js': 'console.log("hello");\n',
  '.github/workflows/reusable.yml': `name: Reusable
on:
  workflow_call:
    inputs:
      target:
        description: Where to greet.
        type: string
        required: true
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: $/actions/greet
        with:
          who: \${{ inputs.target }}
`,
  '.github/workflows/ci.yml': `name: CI
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/greet
        with:
          who: world
      - name: Show the title
        env:
          TITLE: \${{ github.event.head_commit.message }}
        run: echo "$TITLE"
  call:
    uses: ./.github/workflows/reusable.yml
    with:
      target: world
`,
};

/** Writes `files` (path → content) into a fresh temp directory and returns its path. */
export async function writeRepository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'workflow-lint-'));
  writeFiles(root, files);
  return root;
}

/** Removes a directory made by writeRepository. */
export function removeRepository(root: string): Promise<void> {
  return rm(root, { recursive: true, force: true });
}
