import * as core from './runner';
import { errorMessage } from './errors';

/**
 * The one catch of an action's entry point: any failure becomes a single
 * `::error::` line prefixed with the action's name, and exit code 1.
 */
export async function runEntry(actionName: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    core.setFailed(`${actionName} failed: ${errorMessage(error)}`);
  }
}
