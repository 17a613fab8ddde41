/** arXiv's author lists as one string (arXivRaw's `<authors>`, the feeds' `dc:creator`) → authors in order. */
import { uniqueInOrder } from '../domain/collections.ts';
import type { PaperAuthor } from '../domain/paper.ts';
import { collapseWhitespace } from '../domain/whitespace.ts';

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const NUMBERED_REFS = /^\s*\d+(?:\s*(?:,|and|&)\s*\d+)*\s*$/;

/** Splits at depth 0 (outside (…) and […]) wherever `separator` matches. */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const sticky = new RegExp(separator.source, `${separator.flags.replace('g', '')}y`);
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '(' || char === '[') depth += 1;
    else if ((char === ')' || char === ']') && depth > 0) depth -= 1;
    else if (depth === 0) {
      sticky.lastIndex = i;
      const match = sticky.exec(text);
      if (match && match[0].length > 0) {
        pieces.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** "Name (Aff A) (Aff B)" → name and the contents of its top-level parenthesised groups. */
function splitTrailingGroups(piece: string): { name: string; groups: string[] } {
  const groups: string[] = [];
  let depth = 0;
  let name = '';
  let current = '';
  for (const char of piece) {
    if (char === '(') {
      if (depth > 0) current += char;
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        groups.push(current.trim());
        current = '';
      } else current += char;
    } else if (depth > 0) current += char;
    else if (groups.length === 0) name += char;
  }
  if (depth > 0 && current.trim() !== '') groups.push(current.trim());
  return { name: name.trim(), groups };
}

/** "(1) Argonne National Laboratory, (2) Michigan State University" → {1: …, 2: …}. */
function parseAffiliationLegend(group: string): Map<string, string> | null {
  if (!/^\(\s*\d+\s*\)/.test(group)) return null;
  const legend = new Map<string, string>();
  const parts = group.split(/\(\s*(\d+)\s*\)/);
  for (let i = 1; i < parts.length; i += 2) {
    const affiliation = parts[i + 1]!.trim().replace(/[,;]\s*$/, '').trim();
    if (affiliation) legend.set(parts[i]!, affiliation);
  }
  return legend;
}

/**
 * Splits an author list as one string ("A. Author, B. Author and C. Author", arXivRaw's `<authors>`,
 * the feeds' `dc:creator`) into authors in order. Affiliations in parentheses are kept, including
 * arXiv's numbered form "A. Author (1), B. Author (1 and 2) ((1) Univ X, (2) Univ Y)"; "Jr." and
 * similar suffixes stay with the preceding name. Whitespace inside names is collapsed.
 */
export function splitAuthorList(raw: string): PaperAuthor[] {
  const textValue = collapseWhitespace(raw);
  if (textValue === '') return [];
  const pieces = splitOutsideBrackets(textValue, /\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*|\s+&\s+/).map((p) => p.trim()).filter(Boolean);
  const authors: Array<{ name: string; affiliations: string[]; refs: string[] }> = [];
  const legend = new Map<string, string>();
  for (const piece of pieces) {
    if (NAME_SUFFIX.test(piece) && authors.length > 0) {
      authors[authors.length - 1]!.name += `, ${piece}`;
      continue;
    }
    const { name, groups } = splitTrailingGroups(piece);
    const affiliations: string[] = [];
    const refs: string[] = [];
    for (const group of groups) {
      const entries = parseAffiliationLegend(group);
      if (entries) for (const [key, value] of entries) legend.set(key, value);
      else if (NUMBERED_REFS.test(group)) refs.push(...(group.match(/\d+/g) ?? []));
      else if (group) affiliations.push(group);
    }
    if (name) authors.push({ name, affiliations, refs });
    else if (authors.length > 0) authors[authors.length - 1]!.affiliations.push(...affiliations);
  }
  return authors.map(({ name, affiliations, refs }) => ({
    name,
    affiliations: uniqueInOrder([...affiliations, ...refs.flatMap((ref) => legend.get(ref) ?? [])]),
  }));
}

