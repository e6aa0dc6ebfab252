import type { PublishResult } from './publish';

/** A push that could not complete: the message names the cause and the input to look at. */
export class PublishError extends Error {
  override name = 'PublishError';
}

/** One tag that already names another image and may not move. */
export interface TagConflict {
  tag: string;
  /** The digest the tag points at now (kept). */
  current: string;
}

/**
 * Tags that would have moved to a new image although they are immutable.
 * The image itself was pushed and is reachable by `image` (repo@digest); no tag changed.
 */
export class TagConflictError extends Error {
  override name = 'TagConflictError';

  constructor(
    readonly conflicts: TagConflict[],
    readonly image: string,
    /** What was pushed (by digest) before the refusal. */
    readonly result?: PublishResult,
  ) {
    const list = conflicts.map((c) => `"${c.tag}" (points at ${c.current})`).join(', ');
    super(
      `tag${conflicts.length > 1 ? 's' : ''} ${list} already name${conflicts.length > 1 ? '' : 's'} another image and ` +
        `${conflicts.length > 1 ? 'are' : 'is'} immutable: no tag was moved; the new image is pushed as ${image}. ` +
        'Build a new version under a new tag, or list the tag in input "mutable-tags" if it is meant to move.',
    );
  }
}
