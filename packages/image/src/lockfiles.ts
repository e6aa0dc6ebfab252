import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { parse as parseToml } from 'smol-toml';

/** A dependency pinned by a lockfile in the context. */
export interface Dependency {
  ecosystem: 'npm' | 'pypi' | 'cargo' | 'golang';
  name: string;
  version: string;
  purl: string;
  /** The lockfile it came from, relative to the context. */
  lockfile: string;
  hashes?: Array<{ alg: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'; content: string }>;
  license?: string;
  /** Where the package manager fetched it from. */
  resolved?: string;
}

const READERS: Record<string, (text: string, lockfile: string, packaged: Set<string>) => Dependency[]> = {
  'package-lock.json': readNpm,
  'npm-shrinkwrap.json': readNpm,
  'requirements.txt': readRequirements,
  'Cargo.lock': readCargo,
  'go.sum': readGoSum,
};

/** Lockfiles inside installed dependencies belong to those packages, not to the image's own pins. */
const INSTALLED_TREES = new Set(['node_modules', '.venv', 'venv', 'site-packages', 'vendor', '.git']);

/** Basenames of the lockfiles read: package-lock.json (v1-v3), npm-shrinkwrap.json, requirements.txt pins, Cargo.lock, go.sum. */
export const LOCKFILES = Object.keys(READERS);

/**
 * Reads every packaged lockfile of the context, except those inside
 * installed dependency trees (node_modules, .venv, site-packages, vendor).
 * `packaged` is the set of context paths in the image: for npm, when
 * node_modules was packaged, only the lockfile entries actually present are
 * listed; otherwise the non-dev entries are.
 */
export async function readLockfiles(context: string, packaged: Set<string>): Promise<Dependency[]> {
  const found: Dependency[] = [];
  for (const path of [...packaged].sort()) {
    const reader = READERS[posix.basename(path)];
    if (!reader || path.split('/').some((segment) => INSTALLED_TREES.has(segment))) continue;
    found.push(...reader(await readFile(join(context, path), 'utf8'), path, packaged));
  }
  return found;
}

interface NpmEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, NpmEntry | string>;
}

function readNpm(text: string, lockfile: string, packaged: Set<string>): Dependency[] {
  const lock = JSON.parse(text) as { packages?: Record<string, NpmEntry>; dependencies?: Record<string, NpmEntry> };
  const dir = posix.dirname(lockfile) === '.' ? '' : `${posix.dirname(lockfile)}/`;
  const installed = packaged.has(`${dir}node_modules`);
  const deps: Dependency[] = [];
  const add = (name: string, entry: NpmEntry, key: string) => {
    if (!entry.version || entry.link) return;
    if (installed ? !packaged.has(dir + key) : entry.dev) return;
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    const purl = new PackageURL('npm', slash > 0 ? name.slice(0, slash) : undefined, slash > 0 ? name.slice(slash + 1) : name, entry.version, undefined, undefined);
    deps.push({
      ecosystem: 'npm',
      name,
      version: entry.version,
      purl: purl.toString(),
      lockfile,
      ...(entry.integrity ? { hashes: integrityHashes(entry.integrity) } : {}),
      ...(entry.license ? { license: entry.license } : {}),
      ...(entry.resolved ? { resolved: entry.resolved } : {}),
    });
  };
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      // The root and workspace folders are the project itself, not its dependencies.
      if (!key.includes('node_modules/')) continue;
      add(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), entry, key);
    }
    return deps;
  }
  // lockfileVersion 1: nested `dependencies`.
  const walk = (tree: Record<string, NpmEntry | string> | undefined, prefix: string) => {
    for (const [name, entry] of Object.entries(tree ?? {})) {
      if (typeof entry === 'string') continue;
      const key = `${prefix}node_modules/${name}`;
      add(name, entry, key);
      walk(entry.dependencies, `${key}/`);
    }
  };
  walk(lock.dependencies, '');
  return deps;
}

/** `sha512-<base64>` (space-separated alternatives allowed) → CycloneDX hashes in hex. */
function integrityHashes(integrity: string): NonNullable<Dependency['hashes']> {
  const algs = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
  return integrity.split(/\s+/).flatMap((item) => {
    const [alg, value] = item.split('-', 2) as [keyof typeof algs, string | undefined];
    return algs[alg] && value ? [{ alg: algs[alg], content: Buffer.from(value, 'base64').toString('hex') }] : [];
  });
}

function readRequirements(text: string, lockfile: string): Dependency[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const deps: Dependency[] = [];
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;]+)/.exec(line);
    if (!match) continue; // options, includes and unpinned requirements name no exact version
    const [, name = '', version = ''] = match;
    const hashes = [...line.matchAll(/--hash[=\s]sha256:([a-f0-9]{64})/g)].map((h) => ({ alg: 'SHA-256' as const, content: h[1]! }));
    const purl = new PackageURL('pypi', undefined, name, version, undefined, undefined).toString();
    deps.push({ ecosystem: 'pypi', name: name.toLowerCase().replace(/[-_.]+/g, '-'), version, purl, lockfile, ...(hashes.length ? { hashes } : {}) });
  }
  return deps;
}

function readCargo(text: string, lockfile: string): Dependency[] {
  const lock = parseToml(text) as { package?: Array<{ name: string; version: string; source?: string; checksum?: string }> };
  // Crates without a source are the workspace's own.
  return (lock.package ?? [])
    .filter((crate) => crate.source)
    .map((crate) => ({
      ecosystem: 'cargo' as const,
      name: crate.name,
      version: crate.version,
      purl: new PackageURL('cargo', undefined, crate.name, crate.version, undefined, undefined).toString(),
      lockfile,
      ...(crate.checksum ? { hashes: [{ alg: 'SHA-256' as const, content: crate.checksum }] } : {}),
    }));
}

function readGoSum(text: string, lockfile: string): Dependency[] {
  const seen = new Set<string>();
  const deps: Dependency[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [module, version] = line.trim().split(/\s+/);
    if (!module || !version || version.endsWith('/go.mod') || seen.has(`${module}@${version}`)) continue;
    seen.add(`${module}@${version}`);
    const slash = module.lastIndexOf('/');
    const purl = new PackageURL('golang', slash > 0 ? module.slice(0, slash) : undefined, module.slice(slash + 1), version, undefined, undefined);
    deps.push({ ecosystem: 'golang', name: module, version, purl: purl.toString(), lockfile });
  }
  return deps;
}
