import { MATCH_END, MATCH_START } from '../store/repositories/search.ts';

/**
 * Highlighted text travels as segments, never as HTML: the store's search wraps matches in two
 * private-use characters, which this module turns into `{ text, match }` runs. Whatever the
 * stored text contains (markup, stray marker characters), every page, feed or API client escapes the
 * runs itself, and an unpaired marker can only start or end a run, never produce markup.
 */
export { MATCH_END, MATCH_START };

export interface Segment {
  text: string;
  match: boolean;
}

export function toSegments(marked: string): Segment[] {
  const segments: Segment[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) segments.push({ text, match });
    text = '';
  };
  for (const char of marked) {
    if (char === MATCH_START || char === MATCH_END) {
      flush();
      match = char === MATCH_START;
    } else text += char;
  }
  flush();
  return segments;
}

export const plainText = (segments: Segment[]): string => segments.map((s) => s.text).join('');
