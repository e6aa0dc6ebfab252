import { silentLogger, type Logger } from '@gantry/action-kit';
import { retry, type RetryOptions } from '@gantry/action-kit/retry';
import { Authenticator, parseChallenge, type RegistryCredentials } from './auth';
import { RegistryError, networkCause, parseRetryAfter, redact } from './errors';
import { DigestMismatchError } from './digest';

export interface TransportOptions {
  /** `host[:port]`; `docker.io` is reached at registry-1.docker.io. */
  registry: string;
  credentials?: RegistryCredentials;
  /** Plain HTTP instead of HTTPS; default: only for loopback hosts and `insecureRegistries`. */
  plainHttp?: boolean;
  /** Registries (`host[:port]`) reached over plain HTTP although not on loopback. */
  insecureRegistries?: string[];
  logger?: Logger;
  retry?: Partial<RetryOptions>;
  userAgent?: string;
  /** Abort one request (headers and body) after this long; default 10 minutes. */
  timeoutMs?: number;
}

/** What one HTTP exchange with the registry is for. */
export interface Exchange {
  operation: string;
  repository?: string;
  /** Token scopes the exchange needs, e.g. `repository:app:pull,push`. */
  scopes: string[];
  method: string;
  /** Path under the registry origin (`/v2/...`) or an absolute URL (upload Location). */
  url: string | URL;
  headers?: Record<string, string>;
  /** A fresh body per send: an answered 401 sends again. */
  body?: () => Buffer | ReadableStream | undefined;
  /** Statuses that are success; anything else becomes a RegistryError. */
  expect: number[];
}

const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000, deadlineMs: 180_000 };

/** Whether a host is loopback, where Docker too uses plain HTTP. */
export function isLoopback(registry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry);
  // A bare IPv6 address has several colons and no port; otherwise strip `:port`.
  const host = bracketed ? bracketed[1]! : registry.split(':').length > 2 ? registry : registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * HTTP to one registry: origin and scheme, authentication (one answered
 * challenge per exchange), error mapping and bounded retries.
 */
export class Transport {
  readonly registry: string;
  readonly origin: string;
  readonly logger: Logger;
  private readonly auth: Authenticator;
  private readonly retryOptions: RetryOptions;
  private readonly userAgent: string;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.registry = options.registry;
    const insecure = new Set(options.insecureRegistries ?? []);
    const plainAllowed = (host: string) => isLoopback(host) || insecure.has(host);
    const plain = options.plainHttp ?? plainAllowed(options.registry);
    const host = options.registry === 'docker.io' ? 'registry-1.docker.io' : options.registry;
    this.origin = `${plain ? 'http' : 'https'}://${host}`;
    this.logger = options.logger ?? silentLogger;
    this.auth = new Authenticator(options.registry, options.credentials, (url) => plain || plainAllowed(url.host));
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.userAgent = options.userAgent ?? 'gantry-oci/0.1';
    this.timeoutMs = options.timeoutMs ?? 600_000;
  }

  /** Hides every credential and token this transport knows of. */
  redact(text: string): string {
    return redact(text, this.auth.secrets);
  }

  /** Runs `operation` with bounded retries on 429, 5xx and network faults (Retry-After honoured). */
  withRetry<T>(what: string, operation: (attempt: number) => Promise<T>): Promise<T> {
    const options = this.retryOptions;
    return retry(operation, {
      ...options,
      retryable: (error) => (error instanceof RegistryError ? error.retryable : !(error instanceof DigestMismatchError) && options.retryable?.(error) === true),
      requestedDelayMs: (error) => (error instanceof RegistryError ? error.retryAfterMs : undefined),
      onRetry: (info) => {
        const message = info.error instanceof Error ? info.error.message : String(info.error);
        this.logger.info(`${what}: attempt ${info.attempt} failed (${this.redact(message)}); retrying in ${info.delayMs} ms`);
        options.onRetry?.(info);
      },
    });
  }

  /** One exchange, answering an auth challenge once; throws RegistryError unless the status is expected. */
  async send(exchange: Exchange): Promise<Response> {
    let authorization = this.auth.cached(exchange.scopes);
    let response = await this.fetchOnce(exchange, authorization);
    // Only the registry's own challenges are answered: a redirect target asking for credentials gets none.
    if (response.status === 401 && this.url(exchange.url).origin === this.origin) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      await response.body?.cancel();
      if (challenge) {
        authorization = await this.auth.answer(challenge, exchange.scopes, exchange.operation, exchange.repository, authorization);
        response = await this.fetchOnce(exchange, authorization);
      }
    }
    if (exchange.expect.includes(response.status)) return response;
    throw await this.failure(exchange, response);
  }

  /** Resolves a path or Location against the registry origin. */
  url(target: string | URL): URL {
    return target instanceof URL ? target : new URL(target, this.origin);
  }

  private async fetchOnce(exchange: Exchange, authorization: string | undefined): Promise<Response> {
    const url = this.url(exchange.url);
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...exchange.headers };
    // Credentials go to the registry's own origin only (a Location could point elsewhere).
    if (authorization && url.origin === this.origin) headers.authorization = authorization;
    const body = exchange.body?.();
    const init: RequestInit & { duplex?: 'half' } = {
      method: exchange.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    if (body && typeof (body as ReadableStream).getReader === 'function') init.duplex = 'half';
    try {
      const response = await fetch(url, init);
      this.logger.debug(`${exchange.method} ${url.host}${url.pathname} → ${response.status}`);
      return response;
    } catch (error) {
      throw this.networkError(exchange, error);
    }
  }

  /** A RegistryError for a fetch (or a body read) that threw. */
  networkError(exchange: Pick<Exchange, 'operation' | 'repository'>, error: unknown): RegistryError {
    if (error instanceof RegistryError) return error;
    const timedOut = (error as { name?: string })?.name === 'TimeoutError';
    const cause = timedOut ? `no complete response within ${this.timeoutMs} ms` : networkCause(error);
    return new RegistryError({
      registry: this.registry,
      repository: exchange.repository,
      operation: exchange.operation,
      code: 'NETWORK',
      cause: `${this.redact(cause)} (${this.origin})`,
    });
  }

  private async failure(exchange: Exchange, response: Response): Promise<RegistryError> {
    const text = await response.text().catch(() => '');
    let code: string | undefined;
    let detail = '';
    try {
      const first = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors?.[0];
      code = first?.code;
      const codeText = first?.code?.toLowerCase().replace(/_/g, ' ');
      detail = [codeText, first?.message?.toLowerCase() === codeText ? undefined : first?.message].filter(Boolean).join(': ');
    } catch {}
    const status = response.status;
    const label = status === 401 ? 'unauthorized' : status === 403 ? 'denied' : status === 404 ? 'not found' : status === 429 ? 'too many requests' : '';
    const cause = [`HTTP ${status}${label ? ` ${label}` : ''}`, detail].filter(Boolean).join(' — ');
    return new RegistryError({
      registry: this.registry,
      repository: exchange.repository,
      operation: exchange.operation,
      status,
      code: code ?? (status === 401 ? 'UNAUTHORIZED' : undefined),
      cause: this.redact(status === 401 ? `${cause} (check the registry username and password)` : cause),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
}
