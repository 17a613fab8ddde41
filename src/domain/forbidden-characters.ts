/**
 * The characters XML 1.0 forbids in text: C0 controls other than tab, line feed and carriage return,
 * and the non-characters U+FFFE and U+FFFF. No paper text, author name or summary needs them; they
 * would reach pages and feeds (where XML readers reject them), and PostgreSQL refuses a NUL in text
 * outright, failing the whole write. Every source drops them at its edge.
 */
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const FORBIDDEN_CHARACTERS = new RegExp(FORBIDDEN_CHARACTER.source, 'g');

/** True for a code point XML allows (the complement of the above, and no surrogates): what a numeric reference may decode to. */
export function isXmlChar(codePoint: number): boolean {
  return codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0x10ffff && codePoint !== 0xfffe && codePoint !== 0xffff);
}

/** `text` without the forbidden characters (the same string when it has none, as nearly always). */
export function withoutForbiddenCharacters(text: string): string {
  return FORBIDDEN_CHARACTER.test(text) ? text.replace(FORBIDDEN_CHARACTERS, '') : text;
}

// JSON can carry them only as \u escapes (raw control characters are a JSON syntax error). A body
// without such an escape, nearly every body, is parsed as is; the reviver runs only when one is there.
const FORBIDDEN_ESCAPE = /\\u(?:00[01][0-9a-fA-F]|[fF]{3}[eEfF])/;

function dropFromStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? withoutForbiddenCharacters(value) : value;
}

/** JSON.parse, with the forbidden characters dropped from every string value. Throws as JSON.parse does. */
export function parseJsonWithoutForbiddenCharacters(text: string): unknown {
  if (!FORBIDDEN_ESCAPE.test(text)) return JSON.parse(text);
  return JSON.parse(text, dropFromStrings);
}
