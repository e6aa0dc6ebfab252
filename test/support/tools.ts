import { execFileSync } from 'node:child_process';

/**
 * Whether a command-line tool can be run here. Integration tests call
 * `needTool` so that a missing tool skips the test locally with its name,
 * while `GANTRY_REQUIRE_TOOLS=1` (set by .ci/run) turns the skip into a failure.
 */
export function hasTool(name: string, versionArgs: string[] = ['--version']): boolean {
  try {
    execFileSync(name, versionArgs, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export const toolsRequired = process.env.GANTRY_REQUIRE_TOOLS === '1';

/**
 * Returns a skip reason when `name` is missing and tools are optional, or
 * `undefined` when the test may run. Throws when tools are required.
 */
export function missingTool(name: string, versionArgs?: string[]): string | undefined {
  if (hasTool(name, versionArgs)) return undefined;
  const reason = `skipped: tool ${name} missing`;
  if (toolsRequired) throw new Error(`${reason} (GANTRY_REQUIRE_TOOLS=1 requires every integration tool)`);
  return reason;
}
