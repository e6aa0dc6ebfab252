/** A report file that cannot be read as the format it claims (or any known format). */
export class ReportParseError extends Error {
  override name = 'ReportParseError';
  /** The report file, or '<input>' when the caller gave none. */
  readonly source: string;

  constructor(source: string | undefined, reason: string, options?: { cause?: unknown }) {
    const where = source ?? '<input>';
    super(`${where}: ${reason}`, options);
    this.source = where;
  }
}
