// Types of dist-freshness.mjs (plain JavaScript: the build runs before any TypeScript tooling).
export const PROJECT_ROOT: string;
export const SOURCE_DIR: string;
export const DIST_DIR: string;
export const BUILD_STAMP: string;
export function sourceFiles(dir?: string): string[];
export function staleInput(): string | null;
export function distIsFresh(): boolean;
