import { lstat, mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@gantry/action-kit';
import { TempDirs } from '../support/temp';

/** A logger that keeps what it was told, to assert on warnings. */
export function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, info: (m) => infos.push(m), warning: (m) => warnings.push(m), debug: () => {} };
}

const temps = new TempDirs();

/** A fresh temp directory, removed by cleanupTemps(). */
export async function tempDir(label: string): Promise<string> {
  return temps.make(`gantry-cache-${label}-`);
}

export async function cleanupTemps(): Promise<void> {
  temps.cleanup();
}

/** Writes `content` to `file`, creating parent directories. */
export async function put(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/**
 * Everything observable about a tree: per entry its type, mode, mtime (for
 * files and links) and content or link target. Directory mtimes are left
 * out: extracting into a directory legitimately touches them.
 */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const info = await lstat(full);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) out[rel] = `link -> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        out[rel] = `dir ${mode}`;
        await walk(full);
      } else out[rel] = `file ${mode} ${Math.floor(info.mtimeMs / 1000)} ${await readFile(full, 'utf8')}`;
    }
  }
  await walk(root);
  return out;
}
