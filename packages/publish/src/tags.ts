import { InputError } from '@gantry/action-kit';
import { minimatch } from 'minimatch';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// semver.org's grammar, with an optional leading v as git tags usually have it.
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

export interface TagPlan {
  /** Tags to set, in order. */
  tags: string[];
  /** Derived tags left out because they would move and match no mutable-tags pattern. */
  skipped: Array<{ tag: string; reason: string }>;
}

/**
 * The default tags of a build: `sha-<first 7 of the commit>`; on a
 * `refs/tags/` ref holding a semantic version (leading v and build metadata
 * dropped) instead `X.Y.Z` — the image then carries its version label, so
 * its digest is not the branch build's and must not contest its sha tag — plus `X.Y` and `X` for a release
 * without pre-release part, but only when they match a `mutable-tags`
 * pattern: those tags move with every patch release, and a tag that moves
 * must be declared mutable. Explicit `tags` replace the defaults.
 */
export function tagsFor(options: { sha?: string; ref?: string; tags?: string[]; mutableTags?: string[] }): TagPlan {
  const mutable = options.mutableTags ?? [];
  for (const tag of options.tags ?? []) checkTag(tag, 'tags');
  if (options.tags && options.tags.length > 0) return { tags: unique(options.tags), skipped: [] };
  const tags: string[] = [];
  const skipped: TagPlan['skipped'] = [];
  const name = options.ref?.startsWith('refs/tags/') ? options.ref.slice('refs/tags/'.length) : undefined;
  const version = name ? SEMVER.exec(name) : null;
  // A release build carries its version label, so its digest differs from the branch build of
  // the same commit: it takes the version tags, leaving that build's sha tag uncontested.
  if (!version && options.sha && /^[0-9a-f]{7,64}$/i.test(options.sha)) tags.push(`sha-${options.sha.slice(0, 7).toLowerCase()}`);
  if (version) {
    const [, major, minor, patch, pre] = version;
    tags.push(`${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`);
    if (!pre) {
      for (const moving of [`${major}.${minor}`, `${major}`]) {
        if (isMutable(moving, mutable)) tags.push(moving);
        else skipped.push({ tag: moving, reason: 'it moves with every release; list it in mutable-tags to publish it' });
      }
    }
  }
  return { tags: unique(tags), skipped };
}

/** Whether a tag matches one of the `mutable-tags` glob patterns (minimatch syntax, e.g. `latest`, `+([0-9])`, `main-*`). */
export function isMutable(tag: string, patterns: string[]): boolean {
  return patterns.some((pattern) => minimatch(tag, pattern, { nocomment: true, nonegate: true }));
}

/** Throws InputError unless `tag` is a valid OCI tag. */
export function checkTag(tag: string, input: string): void {
  if (!TAG.test(tag)) throw new InputError(input, tag, 'tags of 1-128 letters, digits, _ . - (not starting with . or -)');
}

function unique(tags: string[]): string[] {
  return [...new Set(tags)];
}
