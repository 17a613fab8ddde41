/**
 * Argument handling shared by the evaluation, training and benchmark scripts: `--help`, data paths
 * that must exist, and a one-line error (exit 2) instead of a stack trace for a mistake of the caller.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A mistake in the command line (a missing data path, an unknown option): reported in one line. */
export class ScriptUsageError extends Error {}

/** The absolute path of `value`, or a ScriptUsageError naming the option and the path when it does not exist. */
export function existingPath(option: string, value: string): string {
  const resolved = path.resolve(value);
  if (!existsSync(resolved)) throw new ScriptUsageError(`${option}: no such file or directory: ${resolved}`);
  return resolved;
}

/** The value of a required option, or a ScriptUsageError saying what to pass. */
export function required(option: string, value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new ScriptUsageError(`${option} is required: ${what} (see --help)`);
  return value;
}

// node:util parseArgs reports unknown options and missing values with these codes.
const isParseArgsError = (error: unknown): error is Error => {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
};

/**
 * Runs a script's main: prints `help` for --help/-h, and turns usage errors into one line on stderr
 * and exit code 2. Other errors are bugs or failed runs and keep their stack.
 */
export async function runScript(help: string, main: () => Promise<void> | void, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${help.trim()}\n`);
    return;
  }
  try {
    await main();
  } catch (error) {
    if (!(error instanceof ScriptUsageError) && !isParseArgsError(error)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  }
}
