/**
 * RIS (the tagged format of EndNote, Zotero, Mendeley and most databases): one `TAG  - value` line per
 * field, CR LF line ends, `ER  - ` closing each record. RIS has no escaping, so every value is one
 * line (whitespace collapsed): a newline in a title can never start a tag of its own.
 */
import type { PersonName } from './names.ts';
import type { CitationRecord } from './record.ts';

const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

/** "Family, Given, Suffix", RIS's author form; a group name as it is. */
export function risName(name: PersonName): string {
  if ('literal' in name) return oneLine(name.literal);
  return [name.family, name.given, name.suffix].filter((part) => part !== undefined && part !== '').map((part) => oneLine(part!)).join(', ');
}

export function toRis(record: CitationRecord): string {
  const lines: Array<[string, string]> = [['TY', record.journalRef ? 'JOUR' : 'GEN']];
  lines.push(['ID', record.key], ['TI', record.title]);
  for (const author of record.authors) lines.push(['AU', risName(author)]);
  const [year, month, day] = record.date.split('-');
  lines.push(['PY', year!], ['DA', `${year}/${month}/${day}/`]);
  if (record.journalRef) lines.push(['JO', record.journalRef]);
  lines.push(['PB', 'arXiv'], ['AN', `arXiv:${record.arxivId}`], ['M3', 'Preprint']);
  if (record.doi) lines.push(['DO', record.doi]);
  lines.push(['UR', record.absUrl], ['L1', record.pdfUrl]);
  for (const category of record.categories) lines.push(['KW', category]);
  if (record.abstract) lines.push(['AB', record.abstract]);
  if (record.comment) lines.push(['N1', record.comment]);
  // `ER  - ` ends the record (with its trailing space, as the specification writes it).
  return [...lines.map(([tag, value]) => `${tag}  - ${oneLine(value)}`), 'ER  - '].join('\r\n') + '\r\n';
}
