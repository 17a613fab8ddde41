/** What a reader typed, read one way for both query languages: quoted phrases and words, each of letters and digits only, maybe a trailing `*`. */
function readerParts(input: string): Array<{ words: string[]; prefix: boolean }> {
  const parts: Array<{ words: string[]; prefix: boolean }> = [];
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const phrase = match[1] ?? match[2] ?? '';
    const words = phrase.match(/[\p{L}\p{N}]+/gu);
    if (!words) continue;
    parts.push({ words, prefix: match[2] !== undefined && match[2].endsWith('*') });
  }
  return parts;
}

/**
 * Turns what a reader typed into an FTS5 query that can never be a syntax error: every word is
 * quoted, so FTS operators (AND, OR, NOT, NEAR(...), column filters, ^) are searched as plain words.
 * Supported: "quoted phrases", words that must all occur, and a trailing * for a prefix.
 * Returns null when nothing searchable is left (only punctuation).
 */
export function toFtsQuery(input: string): string | null {
  // Only letters and digits remain, so the quotes cannot be broken out of.
  const parts = readerParts(input).map(({ words, prefix }) => `"${words.join(' ')}"${prefix ? '*' : ''}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * The same reading of the input for PostgreSQL's to_tsquery: a phrase's words are joined by `<->`
 * (followed by), parts by `&`, and a trailing * becomes a `:*` prefix match on the last word.
 * websearch_to_tsquery cannot express prefixes; only letters and digits are kept, so to_tsquery
 * never sees an operator from the reader. Returns null when nothing searchable is left.
 */
export function toTsQuery(input: string): string | null {
  const parts = readerParts(input).map(({ words, prefix }) => {
    const text = words.join(' <-> ') + (prefix ? ':*' : '');
    return words.length > 1 ? `(${text})` : text;
  });
  return parts.length > 0 ? parts.join(' & ') : null;
}
