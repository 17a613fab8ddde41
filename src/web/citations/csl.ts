/**
 * CSL-JSON (Citation Style Language data, the input of citeproc and Zotero's and Pandoc's interchange
 * format): a preprint is CSL 1.0.2's `article` with publisher arXiv and the id as its number, as
 * Zotero exports arXiv papers; with a journal reference, an `article-journal`.
 */
import type { CitationRecord } from './record.ts';

export interface CslItem {
  id: string;
  type: 'article' | 'article-journal';
  title: string;
  author: Array<{ family: string; given?: string; suffix?: string } | { literal: string }>;
  issued: { 'date-parts': [[number, number, number]] };
  abstract?: string;
  'container-title'?: string;
  publisher: 'arXiv';
  number: string;
  genre?: 'Preprint';
  DOI?: string;
  URL: string;
  note?: string;
  keyword: string;
}

export function toCslItem(record: CitationRecord): CslItem {
  const [year, month, day] = record.date.split('-').map(Number) as [number, number, number];
  return {
    id: record.key,
    type: record.journalRef ? 'article-journal' : 'article',
    title: record.title,
    author: record.authors.map((name) => ({ ...name })),
    issued: { 'date-parts': [[year, month, day]] },
    ...(record.abstract ? { abstract: record.abstract } : {}),
    ...(record.journalRef ? { 'container-title': record.journalRef } : { genre: 'Preprint' as const }),
    publisher: 'arXiv',
    number: `arXiv:${record.arxivId}`,
    ...(record.doi ? { DOI: record.doi } : {}),
    URL: record.absUrl,
    ...(record.comment ? { note: record.comment } : {}),
    keyword: record.categories.join(', '),
  };
}
