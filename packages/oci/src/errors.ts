/**
 * A registry operation that failed: the message names the registry, the
 * repository, the operation and the cause, and never a credential (callers
 * build it from status lines and registry error codes, then {@link redact}).
 */
export class RegistryError extends Error {
  override name = 'RegistryError';
  /** HTTP status; undefined when no response arrived (network fault). */
  readonly status: number | undefined;
  /** The registry's error code (`UNAUTHORIZED`, `MANIFEST_UNKNOWN`, …) or `NETWORK`. */
  readonly code: string | undefined;
  readonly registry: string;
  readonly repository: string | undefined;
  readonly operation: string;
  /** The delay a 429/503 asked for through Retry-After, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(details: {
    registry: string;
    repository?: string;
    operation: string;
    status?: number;
    code?: string;
    cause: string;
    retryAfterMs?: number;
  }) {
    const where = details.repository ? `${details.registry}/${details.repository}` : details.registry;
    super(`Registry ${where}: ${details.operation} failed: ${details.cause}`);
    this.status = details.status;
    this.code = details.code;
    this.registry = details.registry;
    this.repository = details.repository;
    this.operation = details.operation;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Whether another attempt may succeed: 429, 500/502/503/504 and network faults. */
  get retryable(): boolean {
    if (this.code === 'NETWORK') return true;
    const status = this.status ?? 0;
    return status === 429 || status === 500 || status === 502 || status === 503 || status === 504 || status === 408;
  }
}

/** Replaces every occurrence of each secret with `***` (callers pass passwords, tokens and Basic headers). */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    out = out.split(secret).join('***');
  }
  return out;
}

/** A short, credential-free cause for a fetch that threw (reset, refused, timeout…). */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const known: Record<string, string> = {
    ECONNRESET: 'the connection was reset',
    ECONNREFUSED: 'the connection was refused',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    UND_ERR_CLOSED: 'the connection closed unexpectedly',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
    UND_ERR_BODY_TIMEOUT: 'the response body stalled',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve (temporary)',
    EPIPE: 'the connection was closed while sending',
  };
  const text = code && known[code] ? `${known[code]} (${code})` : message;
  return text;
}

/** Parses Retry-After (seconds or an HTTP date) into ms, if present. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
