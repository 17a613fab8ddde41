/**
 * Command-line handling shared by the evaluation, training and benchmark scripts: `--help`, options
 * that are required, data paths that must exist. A mistake of the caller ends the script with one
 * line on stderr and exit code 2, never a stack trace; other errors (bugs, failed runs) keep theirs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Ends the script: `error: message` on stderr, exit code 2. */
export function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

// node:util parseArgs reports unknown options and missing values with these codes.
function isParseArgsError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** parseArgs over the process's arguments, after printing `help` (exit 0) when --help or -h is among them. */
export function parseScriptArgs<const C extends Omit<ParseArgsConfig, 'args'>>(help: string, config: C) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help.trim()}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args });
  } catch (error) {
    if (isParseArgsError(error)) usageError(`${error.message} (see --help)`);
    throw error;
  }
}

/** The value of a required option; without it the script ends saying what to pass. */
export function requiredOption(option: string, value: string | undefined, what: string): string {
  if (value === undefined || value === '') usageError(`${option} is required: ${what} (see --help)`);
  return value;
}

/** The absolute path of `value`; when nothing is there the script ends naming the option and the path. */
export function existingPath(option: string, value: string): string {
  const resolved = path.resolve(value);
  if (!existsSync(resolved)) usageError(`${option}: no such file or directory: ${resolved}`);
  return resolved;
}
