import * as core from './runner';

/**
 * What packages may say while they work. Only actions bind it to
 * the runner protocol; libraries and tests pass their own.
 */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

/** A logger that drops everything: for tests and quiet callers. */
export const silentLogger: Logger = {
  info: () => {},
  warning: () => {},
  debug: () => {},
};

/** The logger actions hand to packages: the runner's log commands. */
export const coreLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
};
