export type { Logger } from './logger';
export { silentLogger } from './logger';
