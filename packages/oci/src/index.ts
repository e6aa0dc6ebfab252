export * from './types';
export { DigestMismatchError, isDigest, sha256Digest, verifyDigest } from './digest';
