/**
 * JSON with keys sorted at every level and no whitespace, so the same value
 * always gives the same bytes and so the same digest. `undefined` members are
 * dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(sortKeys(value)), 'utf8');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

/** RFC 3339 UTC time of a SOURCE_DATE_EPOCH, without fractional seconds. */
export function sourceDateIso(sourceDateEpoch: number): string {
  return new Date(sourceDateEpoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
