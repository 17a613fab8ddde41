/** All of `\s` except the plain space, two spaces in a row, or a space at either end: text that needs collapsing. */
const NEEDS_COLLAPSING = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|^ | $/;
// Whitespace other than a plain space, then runs of spaces: the only places that change. Replacing
// every single space (as /\s+/ does) rebuilt whole abstracts for nothing.
const NOT_A_SPACE = /[^\S ]/g;
const SPACE_RUN = / {2,}/g;

/** Every run of whitespace (line breaks, tabs, Unicode spaces) as one space, and none at either end: the same as `text.replace(/\s+/g, ' ').trim()`. */
export function collapseWhitespace(text: string): string {
  // Most text handed around (sentences, titles) is already collapsed: one test and it is returned as is.
  if (!NEEDS_COLLAPSING.test(text)) return text;
  const spaced = text.replace(NOT_A_SPACE, ' ');
  return (spaced.includes('  ') ? spaced.replace(SPACE_RUN, ' ') : spaced).trim();
}
