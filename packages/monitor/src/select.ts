import { isAbsolute, resolve } from 'node:path';
import { GitHubApi } from './github-api';
import { createBranchStore, createFileStore } from './stores';
import type { HistoryStore } from './stores';

export type StoreChoice = 'auto' | 'branch' | 'file';

export interface SelectStoreOptions {
  choice: StoreChoice;
  /** github-token; undefined when none was given. */
  token?: string;
  /** GITHUB_REPOSITORY. */
  repository?: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  branch: string;
  /** The `history` input: a path in the branch, or relative to the workspace for the file store. */
  historyPath: string;
  statusPagePath: string;
  workspace: string;
}

export interface SelectedStore {
  store: HistoryStore;
  /** The API client when a token and a repository are there: issues are handled too. */
  api?: GitHubApi;
  /** One line for the log and the summary: which store and why. */
  reason: string;
}

/**
 * The branch store when GitHub's API can be used (a token and a repository),
 * else the file store in the workspace; `branch`/`file` force one. The same
 * condition turns issue handling on: without an API there is nothing to call.
 */
export function selectHistoryStore(options: SelectStoreOptions): SelectedStore {
  const local = (why: string): SelectedStore => ({
    store: createFileStore(inWorkspace(options, options.historyPath), inWorkspace(options, options.statusPagePath)),
    reason: why,
  });
  const missing = !options.token ? 'no github-token' : !options.repository ? 'no GITHUB_REPOSITORY' : undefined;
  if (missing) return local(`history in a local file (${missing}, so no GitHub API: no branch, no issues)`);
  const api = new GitHubApi({ token: options.token!, baseUrl: options.apiUrl });
  if (options.choice === 'file') return { ...local('history in a local file (history-store: file); issues on GitHub'), api };
  const store = createBranchStore(api, {
    repository: options.repository!,
    branch: options.branch,
    historyPath: options.historyPath.replace(/^\.?\/+/, ''),
    statusPagePath: options.statusPagePath.replace(/^\.?\/+/, ''),
  });
  return { store, api, reason: `history committed to ${store.description} through ${options.apiUrl}` };
}

const inWorkspace = (options: SelectStoreOptions, path: string) => (isAbsolute(path) ? path : resolve(options.workspace, path));
