export type { Logger } from './logger';
export { silentLogger, coreLogger } from './logger';
export { InputError, errorMessage } from './errors';
export {
  parseBoolean,
  parseChoice,
  parseDuration,
  parseInteger,
  parseList,
  parseMap,
  parseNumber,
} from './parse';
export { InputReader, envInputSource, maskSecret } from './inputs';
export type { InputSource } from './inputs';
export { detectEnvironment, runnerArch, runnerOs } from './environment';
export type { RunEnvironment } from './environment';
export { escapeCell, table, raw, code, details, formatDuration, truncateSummary, SUMMARY_LIMIT_BYTES, Raw } from './markdown';
export { runEntry } from './run';
export { backoffDelay, retry, sleep } from './retry';
export type { RetryOptions } from './retry';
export * as runner from './runner';
export type { AnnotationProperties } from './runner';
