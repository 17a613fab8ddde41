// Whitespace other than a plain space, then runs of spaces: the only places that change. Replacing
// every single space (as /\s+/ does) rebuilt whole abstracts for nothing; most titles need neither step.
const NOT_A_SPACE = /[^\S ]/g;
const SPACE_RUN = / {2,}/g;

/** Every run of whitespace (line breaks, tabs, Unicode spaces) as one space, and none at either end: the same as `text.replace(/\s+/g, ' ').trim()`. */
export function collapseWhitespace(text: string): string {
  const spaced = text.replace(NOT_A_SPACE, ' ');
  return (spaced.includes('  ') ? spaced.replace(SPACE_RUN, ' ') : spaced).trim();
}
