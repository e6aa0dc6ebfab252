import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { InputError } from '@gantry/action-kit';

/** One file, directory or symlink of the build context, path relative and `/`-separated. */
export interface ContextEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits as found on disk (normalised only when written to a layer). */
  mode: number;
  size: number;
  /** Absolute path on disk. */
  source: string;
  linkname?: string;
}

export interface ContextScan {
  /** Sorted by path bytes; every included file's parent directories are listed. */
  entries: ContextEntry[];
  /** Paths that are neither file, directory nor symlink (sockets, FIFOs, devices): never packaged. */
  skipped: string[];
  /** The exclude patterns applied: `.dockerignore` lines, then the `exclude` option. */
  patterns: string[];
}

/**
 * Lists the context directory with `.dockerignore` semantics (Docker's own
 * rules, via @balena/dockerignore: patterns anchored at the context root,
 * `*` within one path segment, `**` across segments, `!` re-includes, the last
 * matching line wins, case-sensitive). `.dockerignore` lines come first and
 * the `exclude` list after, so `exclude` has the last word.
 */
export async function scanContext(context: string, exclude: string[] = []): Promise<ContextScan> {
  const info = await stat(context).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError('context', context, 'an existing directory to package');
  const patterns = [...(await readDockerignore(context)), ...exclude.map((line) => line.trim()).filter(Boolean)];
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  // Without a `!` line nothing under an excluded directory can come back, so it need not be read.
  const canReinclude = patterns.some((line) => line.startsWith('!'));
  const entries: ContextEntry[] = [];
  const skipped: string[] = [];

  async function walk(dir: string, prefix: string): Promise<boolean> {
    let included = false;
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      const path = prefix + dirent.name;
      const source = join(dir, dirent.name);
      const ignored = matcher.ignores(path);
      const meta = await lstat(source);
      if (meta.isDirectory()) {
        if (ignored && !canReinclude) continue;
        const at = entries.length;
        const hasContent = await walk(source, `${path}/`);
        if (!ignored || hasContent) {
          entries.splice(at, 0, { path, type: 'directory', mode: meta.mode & 0o7777, size: 0, source });
          included = true;
        }
        continue;
      }
      if (ignored) continue;
      if (meta.isFile()) entries.push({ path, type: 'file', mode: meta.mode & 0o7777, size: meta.size, source });
      else if (meta.isSymbolicLink()) {
        entries.push({ path, type: 'symlink', mode: 0o777, size: 0, source, linkname: await readlink(source) });
      } else {
        skipped.push(path);
        continue;
      }
      included = true;
    }
    return included;
  }

  await walk(context, '');
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  skipped.sort();
  return { entries, skipped, patterns };
}

async function readDockerignore(context: string): Promise<string[]> {
  const text = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}
