import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export class NodeBinaryError extends Error {
  override name = 'NodeBinaryError';
}

/** The npm package holding a Node binary for this machine (as the `node` package's platform builds are named). */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** Major version of the Node running this process. */
export function localNodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

/** Resolves `<pkg>/package.json` from this module, the extra directories and the working directory. */
function findPackageJson(pkg: string, searchFrom: string[]): string | undefined {
  // A computed specifier keeps ncc from bundling the package.json into dist.
  const specifier = [pkg, 'package.json'].join('/');
  for (const base of [import.meta.url, ...[...searchFrom, process.cwd()].map((dir) => join(dir, 'noop.js'))]) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // Not reachable from this base; try the next.
    }
  }
  return undefined;
}

/** The Node binary shipped by an npm package, when installed and of the wanted major. */
export function packagedNode(major: number, searchFrom: string[] = [], pkg: string = nodePackageName()): string | undefined {
  const manifest = findPackageJson(pkg, searchFrom);
  if (!manifest) return undefined;
  const version = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '');
  if (Number(version.split('.')[0]) !== major) return undefined;
  const root = dirname(manifest);
  return ['bin/node', 'bin/node.exe', 'node.exe'].map((p) => join(root, p)).find((p) => existsSync(p));
}

/**
 * Chooses the node binary for a phase. 'auto' picks the version `runs.using`
 * names, as the runner does: the packaged binary, else this process's Node
 * when its major matches; 'local' is this process's Node; anything else is a path.
 * The package is looked up from this module, `searchFrom` (the action's directory) and the cwd.
 */
export function resolveNodeBinary(choice: string | undefined, wantedMajor: number, searchFrom: string[] = []): string {
  if (choice === 'local') return process.execPath;
  if (choice !== undefined && choice !== 'auto') {
    if (!existsSync(choice)) throw new NodeBinaryError(`The node binary ${choice} does not exist.`);
    return choice;
  }
  const packaged = packagedNode(wantedMajor, searchFrom);
  if (packaged) return packaged;
  if (localNodeMajor() === wantedMajor) return process.execPath;
  throw new NodeBinaryError(
    `The action needs Node ${wantedMajor} (runs.using: node${wantedMajor}) but this is Node ${process.versions.node} ` +
      `and ${nodePackageName()}@${wantedMajor} is not installed: run \`npm install --save-dev ${nodePackageName()}@${wantedMajor}\`, ` +
      `or pass node: 'local' (--node local) to use this Node anyway.`,
  );
}
