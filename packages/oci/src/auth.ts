import { RegistryError, networkCause, redact } from './errors';

/** Username and password (or token) for a registry; for ghcr.io, GITHUB_TOKEN is just the password. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** One `WWW-Authenticate` challenge: scheme (lower-case) and its parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a `WWW-Authenticate` header (RFC 7235; quoted values may hold commas). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pair = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?/gy;
  const text = match[2]!;
  let found: RegExpExecArray | null;
  while (pair.lastIndex < text.length && (found = pair.exec(text)) !== null) {
    params[found[1]!.toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : found[3]!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** The distribution-spec scope for a repository: `repository:NAME:pull` or `:pull,push`. */
export function repositoryScope(repository: string, push = false): string {
  return `repository:${repository}:${push ? 'pull,push' : 'pull'}`;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

/**
 * Answers auth challenges for one registry: Basic with the credentials, or
 * Docker's token flow (GET realm?service&scope with the credentials as Basic,
 * anonymous without) with one cached token per set of scopes.
 */
export class Authenticator {
  private basic = false;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly registry: string,
    private readonly credentials: RegistryCredentials | undefined,
    /** Whether a plain-HTTP realm may be used (loopback or an insecure registry). */
    private readonly allowPlainRealm: (url: URL) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Strings that must never reach a log or an error message. */
  get secrets(): string[] {
    const tokens = [...this.tokens.values()].map((t) => t.header.replace(/^\w+ /, ''));
    if (!this.credentials) return tokens;
    const { username, password } = this.credentials;
    return [password, basicHeader(username, password).slice(6), ...tokens];
  }

  /** The Authorization header already known for these scopes, if any. */
  cached(scopes: string[]): string | undefined {
    if (this.basic && this.credentials) return basicHeader(this.credentials.username, this.credentials.password);
    const token = this.tokens.get(scopeKey(scopes));
    return token && token.expiresAt > this.now() ? token.header : undefined;
  }

  /** Obtains an Authorization header that answers `challenge` for `scopes`. */
  async answer(challenge: Challenge, scopes: string[], operation: string, repository?: string, sent?: string): Promise<string> {
    const fail = (cause: string, status = 401) =>
      new RegistryError({ registry: this.registry, repository, operation, status, code: 'UNAUTHORIZED', cause });
    if (challenge.scheme === 'basic') {
      if (!this.credentials) throw fail('unauthorized: the registry asks for a username and password, and none were given');
      this.basic = true;
      return basicHeader(this.credentials.username, this.credentials.password);
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw fail(`unauthorized: unsupported authentication challenge "${challenge.scheme}"`);
    }
    const wanted = mergeScopes([...scopes, ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])]);
    // Parallel requests that meet the same challenge share one token request,
    // and a request that was refused just before a fresh token arrived uses that one.
    const key = scopeKey(scopes);
    const fresh = this.cached(scopes);
    if (fresh && fresh !== sent) return fresh;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge.params.realm, challenge.params.service, wanted, operation, repository).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return token.header;
  }

  private async fetchToken(realm: string, service: string | undefined, scopes: string[], operation: string, repository?: string): Promise<CachedToken> {
    const fail = (cause: string, status?: number) =>
      new RegistryError({
        registry: this.registry,
        repository,
        operation,
        status,
        code: status === 401 || status === 403 ? 'UNAUTHORIZED' : status === undefined ? 'NETWORK' : 'TOKEN',
        cause: redact(cause, this.secrets),
      });
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw fail(`the token realm "${realm}" is not a URL`);
    }
    if (url.protocol !== 'https:' && !this.allowPlainRealm(url)) {
      throw fail(`refusing to send credentials to the plain-HTTP token realm ${url.origin}`);
    }
    if (service) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials) headers.authorization = basicHeader(this.credentials.username, this.credentials.password);
    let response: Response;
    try {
      response = await fetch(url, { headers });
    } catch (error) {
      throw fail(`token service ${url.origin}: ${networkCause(error)}`);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw fail(
        this.credentials
          ? `unauthorized: the token service ${url.origin} refused the credentials (HTTP ${response.status})`
          : `unauthorized: the token service ${url.origin} refused anonymous access (HTTP ${response.status}); give credentials`,
        response.status,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw fail(`token service ${url.origin} answered HTTP ${response.status}`, response.status);
    }
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw fail(`token service ${url.origin} returned no token`, response.status);
    // Refresh a little early; the spec's default lifetime is 60 s.
    const lifetime = Math.max(10, body.expires_in ?? 60) * 1000 - 5_000;
    return { header: `Bearer ${token}`, expiresAt: this.now() + lifetime };
  }
}

/** Merges scopes on the same resource: `repository:a:pull` + `repository:a:pull,push` → `repository:a:pull,push`. */
export function mergeScopes(scopes: string[]): string[] {
  const actions = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const cut = scope.lastIndexOf(':');
    if (cut <= 0) continue;
    const resource = scope.slice(0, cut);
    const set = actions.get(resource) ?? new Set<string>();
    for (const action of scope.slice(cut + 1).split(',')) if (action) set.add(action);
    actions.set(resource, set);
  }
  return [...actions].map(([resource, set]) => `${resource}:${[...set].sort().join(',')}`);
}

function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
