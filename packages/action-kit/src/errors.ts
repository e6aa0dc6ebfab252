/**
 * A mistake in what the user gave the action. Its message names the input,
 * the value given and what was expected, so it can be shown as one line.
 */
export class InputError extends Error {
  override name = 'InputError';

  constructor(
    readonly input: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`Input "${input}" has the value ${JSON.stringify(value)}: expected ${expected}.`);
  }
}

/** The message of anything thrown, without ever dropping a non-Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [error.message, ...error.errors.map((e) => `  - ${errorMessage(e)}`)].join('\n');
  }
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
