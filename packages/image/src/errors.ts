/** The base image cannot serve what was asked (a platform it lacks, a malformed manifest). */
export class BaseImageError extends Error {
  override name = 'BaseImageError';
}

/** A file in the build context cannot be packaged. */
export class ContextError extends Error {
  override name = 'ContextError';
}
