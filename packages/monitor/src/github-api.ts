import { retry } from '@gantry/action-kit/retry';

/** A GitHub REST call that failed; the message names the call and status, never the token. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(`GitHub API ${method} ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
  }
}

export interface GitHubApiOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  baseUrl: string;
  /** Attempts per call for faults worth retrying (5xx, 429, a lost connection). */
  attempts?: number;
  baseDelayMs?: number;
  fetch?: typeof fetch;
}

/** The few REST calls the monitor makes, with `fetch`: no client library to load for them. */
export class GitHubApi {
  private readonly baseUrl: string;

  constructor(private readonly options: GitHubApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * One call; resolves with the parsed JSON (undefined for 204), or `undefined`
   * on a 404 when `allow404`. A POST is retried only on 429 (not processed):
   * after a 5xx it may have happened, and repeating it could open an issue twice.
   */
  async request<T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T | undefined> {
    const idempotent = method !== 'POST';
    return retry(() => this.once<T>(method, path, body, allow404), {
      attempts: this.options.attempts ?? 4,
      baseDelayMs: this.options.baseDelayMs ?? 500,
      maxDelayMs: 10_000,
      retryable: (error) =>
        error instanceof GitHubApiError ? error.status === 429 || (idempotent && error.status >= 500) : idempotent,
      requestedDelayMs: (error) => (error instanceof GitHubApiError ? error.retryAfterMs : undefined),
    });
  }

  private async once<T>(method: string, path: string, body: unknown, allow404: boolean): Promise<T | undefined> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.options.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'gantry-smoke-monitor',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404 && allow404) return undefined;
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new GitHubApiError(method, path, response.status, apiMessage(text), retryAfter > 0 ? retryAfter * 1000 : undefined);
    }
    return text ? (JSON.parse(text) as T) : undefined;
  }
}

/** GitHub's error JSON carries `message`; anything else is cut short. */
function apiMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200);
}

/** `owner/repo` split, for URL paths. */
export function repoPath(repository: string): string {
  const [owner, repo] = repository.split('/');
  return `/repos/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(repo ?? '')}`;
}
