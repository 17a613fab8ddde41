import fs from 'node:fs';
import path from 'node:path';

/** Real recordings other projects published, copied into test/fixtures/recorded (provenance: its SOURCES.md). */
export const RECORDED_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/recorded');

/** This project's hand-written recordings of arXiv's documented formats. */
export const OWN_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/arxiv');

export function sharedFixture(relative: string): string {
  return fs.readFileSync(path.join(RECORDED_FIXTURES, relative), 'utf8');
}

export function ownFixture(name: string): string {
  return fs.readFileSync(path.join(OWN_FIXTURES, name), 'utf8');
}

/** The recorded arXiv API exchanges are JSON wrappers: { url, status_code, body }. */
export function recordedExchange(relative: string): { url: string; status: number; body: string } {
  const wrapper = JSON.parse(sharedFixture(relative)) as { url: string; status_code: number; body: string };
  return { url: wrapper.url, status: wrapper.status_code, body: wrapper.body };
}

export function listFiles(relativeDir: string, extension: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name.endsWith(extension) ? [full] : [];
    });
  return walk(path.join(RECORDED_FIXTURES, relativeDir))
    .map((file) => path.relative(RECORDED_FIXTURES, file))
    .sort();
}
