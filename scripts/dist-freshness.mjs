// Whether dist/ was built after the last change under src/ (by modification time), for the build
// (--if-stale), the test runner (builds before the CLI tests) and the CLI test helper (fails when stale).
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const SOURCE_DIR = path.join(PROJECT_ROOT, 'src');
export const DIST_DIR = path.join(PROJECT_ROOT, 'dist');
/** Written last by a successful build. */
export const BUILD_STAMP = path.join(DIST_DIR, '.build-stamp');
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => path.join(PROJECT_ROOT, f));

export function sourceFiles(dir = SOURCE_DIR) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : [full];
  });
}

/** The newest input newer than the build, or null when dist/ is fresh (a missing build counts as stale). */
export function staleInput() {
  if (!fs.existsSync(BUILD_STAMP)) return BUILD_STAMP;
  const built = fs.statSync(BUILD_STAMP).mtimeMs;
  for (const file of [...sourceFiles(), ...BUILD_INPUTS]) if (fs.existsSync(file) && fs.statSync(file).mtimeMs > built) return file;
  return null;
}

export const distIsFresh = () => staleInput() === null;
