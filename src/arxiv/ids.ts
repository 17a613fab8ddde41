/**
 * arXiv identifiers: new style (2606.14721, 0704.0001) and old style (hep-th/9901001), optional version.
 * A version of more than 6 digits is not an id: Number() would round a 20-digit one to a float such as
 * 1e20, which is still an "integer" to zod and SQLite would store as REAL. (v0 is read as version 0 and
 * refused where records are validated, version >= 1, with its own message.)
 */
const VERSION = '(?:v(\\d{1,6}))?';
const NEW_STYLE = new RegExp(`^(\\d{4}\\.\\d{4,5})${VERSION}$`);
const OLD_STYLE = new RegExp(`^([a-z-]+(?:\\.[A-Z]{2})?\\/\\d{7})${VERSION}$`);

export interface ParsedArxivId {
  id: string;
  version: number | null;
}

export function parseArxivId(text: string): ParsedArxivId | null {
  const trimmed = text.trim().replace(/^arxiv:/i, '');
  const match = NEW_STYLE.exec(trimmed) ?? OLD_STYLE.exec(trimmed);
  if (!match) return null;
  return { id: match[1]!, version: match[2] === undefined ? null : Number(match[2]) };
}

/**
 * Splits an arXiv identifier as the sources send it ("http://arxiv.org/abs/2401.00001v2",
 * "oai:arXiv.org:hep-th/9901001", "arXiv:2401.00001v1") into id and version (null when absent).
 */
export function splitArxivId(raw: string): ParsedArxivId | null {
  const bare = raw.trim()
    .replace(/^https?:\/\/(?:export\.|www\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/\.pdf$/i, '');
  return parseArxivId(bare);
}
