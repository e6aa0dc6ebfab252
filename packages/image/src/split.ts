import dockerignore from '@balena/dockerignore';
import type { ContextEntry } from './context';

/** A layer and the `.dockerignore`-syntax patterns of the context paths it takes. */
export interface LayerGroup {
  name: string;
  /** Omitted on the last group, which takes everything the others did not. */
  patterns?: string[];
}

/** Installed dependencies and the lockfiles they derive from: they change far less often than the app. */
export const DEPENDENCY_PATTERNS = [
  '**/node_modules',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  '.venv',
  'requirements.txt',
  'poetry.lock',
  'uv.lock',
  'vendor',
  'Cargo.lock',
  'go.sum',
];

/** `single`: one layer; `dependencies`: {@link DEPENDENCY_PATTERNS} first, the app after; or explicit groups. */
export type LayerSplit = 'single' | 'dependencies' | LayerGroup[];

export function layerGroups(split: LayerSplit = 'single', dependencyPatterns = DEPENDENCY_PATTERNS): LayerGroup[] {
  if (split === 'single') return [{ name: 'app' }];
  if (split === 'dependencies') return [{ name: 'dependencies', patterns: dependencyPatterns }, { name: 'app' }];
  if (split.length === 0) return [{ name: 'app' }];
  return split;
}

/**
 * Puts each context entry in the first group whose patterns match it (the
 * last group takes the rest), so a change to one app file leaves the
 * dependency layer byte-identical. Each group also gets the parent
 * directories of its entries; an empty directory goes where its own path
 * matches. Groups that end up empty are dropped, except the last.
 */
export function splitEntries(entries: ContextEntry[], groups: LayerGroup[]): Array<{ name: string; entries: ContextEntry[] }> {
  const matchers = groups.map((group, index) =>
    index === groups.length - 1 ? undefined : dockerignore({ ignorecase: false }).add(group.patterns ?? []),
  );
  const groupOf = (path: string) => {
    const found = matchers.findIndex((matcher) => matcher?.ignores(path));
    return found < 0 ? groups.length - 1 : found;
  };
  const members = groups.map(() => new Set<string>());
  const hasChildren = new Set<string>();
  for (const entry of entries) {
    const slash = entry.path.lastIndexOf('/');
    if (slash > 0) hasChildren.add(entry.path.slice(0, slash));
  }
  for (const entry of entries) {
    if (entry.type === 'directory' && hasChildren.has(entry.path)) continue;
    const set = members[groupOf(entry.path)]!;
    set.add(entry.path);
    const parts = entry.path.split('/');
    for (let depth = 1; depth < parts.length; depth++) set.add(parts.slice(0, depth).join('/'));
  }
  return groups
    .map((group, index) => ({
      name: group.name,
      // Context entries are sorted already; filtering keeps that order.
      entries: entries.filter((entry) => members[index]!.has(entry.path)),
    }))
    .filter((group, index) => group.entries.length > 0 || index === groups.length - 1);
}
