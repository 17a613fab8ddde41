/** arXiv identifiers: new style (2606.14721, 0704.0001) and old style (hep-th/9901001), optional version. */
const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

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
