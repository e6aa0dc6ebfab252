import { createHash } from 'node:crypto';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `sha256:<hex>` of bytes: the content address every blob and manifest goes by. */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
  constructor(readonly expected: string, readonly actual: string, what: string) {
    super(`${what}: content does not match its digest (expected ${expected}, got ${actual})`);
  }
}

/** Throws DigestMismatchError unless `bytes` hash to `expected`. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== expected) throw new DigestMismatchError(expected, actual, what);
}

/**
 * The tag the OCI 1.1 referrers tag schema keeps a subject's referrers
 * index under, for registries without the Referrers API: `sha256-<hex>`.
 */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}
