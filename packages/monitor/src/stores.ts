import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GitHubApiError, repoPath } from './github-api';
import type { GitHubApi } from './github-api';
import { emptyHistory, parseHistory, serializeHistory } from './history';
import { embedStatusPage } from './status-page';
import type { History } from './types';

/** Someone else wrote the history since it was read: read it again and re-apply this run. */
export class HistoryConflictError extends Error {
  override name = 'HistoryConflictError';
}

/** Where the monitor keeps its record between runs. */
export interface HistoryStore {
  kind: 'branch' | 'file';
  /** One line for the log and the summary. */
  description: string;
  load(): Promise<History>;
  /** Writes the history and the status page; HistoryConflictError when the history changed since `load`. */
  save(history: History, statusPage: string, message: string): Promise<void>;
}

/** The local stand-in: a JSON file (and the status page) in the workspace. */
export function createFileStore(historyPath: string, statusPagePath: string): HistoryStore {
  return {
    kind: 'file',
    description: `local file ${historyPath}`,
    async load() {
      const text = await readIfExists(historyPath);
      return text === undefined ? emptyHistory() : parseHistory(text, historyPath);
    },
    async save(history, statusPage) {
      await writeAtomically(historyPath, serializeHistory(history));
      await writeStatusPage(statusPagePath, statusPage);
    },
  };
}

/** Writes the page, between the markers of an existing file when it has them. */
export async function writeStatusPage(path: string, page: string): Promise<void> {
  await writeAtomically(path, embedStatusPage(await readIfExists(path), page));
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A reader never sees half a file: write beside it, then rename over it. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

interface ContentFile {
  sha: string;
  content?: string;
  encoding?: string;
}

export interface BranchStoreOptions {
  repository: string;
  branch: string;
  historyPath: string;
  statusPagePath: string;
}

/**
 * The GitHub store, as Upptime keeps its history: files committed to a
 * branch through the contents API. A missing branch is created as an orphan
 * holding just these files, so it never carries the project's code.
 */
export function createBranchStore(api: GitHubApi, options: BranchStoreOptions): HistoryStore {
  const repo = repoPath(options.repository);
  const ref = encodeURIComponent(options.branch);
  const contents = (path: string) => `${repo}/contents/${path.split('/').map(encodeURIComponent).join('/')}`;
  let historySha: string | undefined;
  let branchExists = true;

  async function getFile(path: string): Promise<{ sha: string; text: string } | undefined> {
    const file = await api.request<ContentFile>('GET', `${contents(path)}?ref=${ref}`, undefined, true);
    if (!file) return undefined;
    let base64 = file.content ?? '';
    // Over 1 MB the contents API leaves the content out; the blob API gives it.
    if (file.encoding === 'none' || (base64 === '' && file.sha)) {
      base64 = (await api.request<{ content: string }>('GET', `${repo}/git/blobs/${file.sha}`))?.content ?? '';
    }
    return { sha: file.sha, text: Buffer.from(base64, 'base64').toString('utf8') };
  }

  async function putFile(path: string, text: string, message: string, sha: string | undefined): Promise<void> {
    const body = { message, content: Buffer.from(text).toString('base64'), branch: options.branch, ...(sha ? { sha } : {}) };
    try {
      await api.request('PUT', contents(path), body);
    } catch (error) {
      // 409: the sha is not the file's any more; 422 names a missing sha when the file appeared meanwhile.
      if (error instanceof GitHubApiError && (error.status === 409 || (error.status === 422 && /sha/i.test(error.message)))) {
        throw new HistoryConflictError(`${path} on branch ${options.branch} changed while this run worked`);
      }
      throw error;
    }
  }

  async function createBranch(files: Array<{ path: string; text: string }>, message: string): Promise<void> {
    const tree = await api.request<{ sha: string }>('POST', `${repo}/git/trees`, {
      tree: files.map((f) => ({ path: f.path, mode: '100644', type: 'blob', content: f.text })),
    });
    const commit = await api.request<{ sha: string }>('POST', `${repo}/git/commits`, { message, tree: tree!.sha, parents: [] });
    try {
      await api.request('POST', `${repo}/git/refs`, { ref: `refs/heads/${options.branch}`, sha: commit!.sha });
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 422) {
        throw new HistoryConflictError(`branch ${options.branch} was created by another run meanwhile`);
      }
      throw error;
    }
  }

  return {
    kind: 'branch',
    description: `branch ${options.branch} of ${options.repository} (${options.historyPath})`,
    async load() {
      const file = await getFile(options.historyPath);
      historySha = file?.sha;
      if (!file) {
        branchExists = (await api.request('GET', `${repo}/branches/${ref}`, undefined, true)) !== undefined;
        return emptyHistory();
      }
      branchExists = true;
      return parseHistory(file.text, `${options.historyPath} on branch ${options.branch}`);
    },
    async save(history, statusPage, message) {
      const historyText = serializeHistory(history);
      if (!branchExists) {
        await createBranch([{ path: options.historyPath, text: historyText }, { path: options.statusPagePath, text: statusPage }], message);
        return;
      }
      await putFile(options.historyPath, historyText, message, historySha);
      const page = await getFile(options.statusPagePath);
      const pageText = embedStatusPage(page?.text, statusPage);
      if (page?.text !== pageText) await putFile(options.statusPagePath, pageText, message, page?.sha);
    },
  };
}
