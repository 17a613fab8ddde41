/**
 * BibTeX, as arXiv and Google Scholar write it for preprints (`@misc` with `eprint`, `archivePrefix`,
 * `primaryClass`), `@article` with `journal` when arXiv lists a journal reference. Every value is
 * TeX-safe: the special characters are escaped (so a title's `$x^2$` arrives as those characters,
 * never as TeX to run), braces as \textbraceleft{} and \textbraceright{} because BibTeX counts even
 * an escaped `\}` when it balances a field; other text is kept as UTF-8, which BibTeX, biber and
 * reference managers read.
 */
import type { PersonName } from './names.ts';
import type { CitationRecord } from './record.ts';

const SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  $: '\\${}',
  '&': '\\&{}',
  '%': '\\%{}',
  '#': '\\#{}',
  _: '\\_{}',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
};

/**
 * Text as TeX that typesets to exactly that text. Control characters go; whitespace is one space.
 * Every escape ends in `{}`, so no reader can take the space after it as part of the escape (and miss
 * the " and " between two names), and ligatures are broken up.
 */
export function texEscape(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}$&%#_^~<>]/g, (c) => SPECIALS[c]!)
    // TeX's ligatures (-- –, '' ”, `` “, ,, „, !` ¡, ?` ¿) broken by an empty group: two characters stay two.
    .replace(/(?<=-)(?=-)|(?<=')(?=')|(?<=`)(?=`)|(?<=,)(?=,)|(?<=[!?])(?=`)/g, '{}');
}

/**
 * A part of a name, braced unless it is only letters, spaces and the usual punctuation of names: the
 * word "and" separates names and a comma the parts of one, and readers tokenise names by rules of
 * their own (citation-js loses a part holding "="); a braced part is read as written.
 */
function namePart(part: string): string {
  const escaped = texEscape(part);
  return /\band\b/i.test(part) || /[^\p{L}\p{M}\s.'’-]/u.test(part) ? `{${escaped}}` : escaped;
}

/** "Family, Given" ("Family, Suffix, Given"), the one name form BibTeX never misreads; a group name braced whole. */
export function bibtexName(name: PersonName): string {
  if ('literal' in name) return `{${texEscape(name.literal)}}`;
  const parts = [namePart(name.family)];
  if (name.suffix) parts.push(namePart(name.suffix));
  if (name.given) parts.push(namePart(name.given));
  return parts.join(', ');
}

/**
 * The verbatim fields (doi, eprint, url: biblatex reads them without TeX), where an escape would stay
 * in the value: the few characters that could unbalance the entry are percent-encoded instead, as in
 * a URL, and whitespace too.
 */
export function verbatim(text: string): string {
  return text.trim().replace(/[{}\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function toBibtex(record: CitationRecord): string {
  const type = record.journalRef ? 'article' : 'misc';
  const fields: Array<[string, string]> = [['title', texEscape(record.title)]];
  if (record.authors.length > 0) fields.push(['author', record.authors.map(bibtexName).join(' and ')]);
  fields.push(['year', record.date.slice(0, 4)]);
  const month = MONTHS[Number(record.date.slice(5, 7)) - 1];
  if (month) fields.push(['month', month]);
  if (record.journalRef) fields.push(['journal', texEscape(record.journalRef)]);
  fields.push(['eprint', verbatim(record.arxivId)], ['archivePrefix', 'arXiv'], ['primaryClass', texEscape(record.primaryCategory)]);
  if (record.doi) fields.push(['doi', verbatim(record.doi)]);
  fields.push(['url', verbatim(record.absUrl)]);
  // Months are macros (unbraced, so styles print them in their language); every other value is braced.
  const lines = fields.map(([name, value]) => `  ${name} = ${name === 'month' ? value : `{${value}}`}`);
  return `@${type}{${record.key},\n${lines.join(',\n')}\n}\n`;
}
