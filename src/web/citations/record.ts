/**
 * The one bibliographic record every citation format is written from: what papersift knows of a
 * paper, in the terms of reference managers (a preprint on arXiv, or a journal article when arXiv
 * lists a journal reference). BibTeX, RIS and CSL-JSON are renderings of it.
 */
import type { PaperDetail } from '../../digest/cards.ts';
import { arxivLinks } from '../../domain/paper.ts';
import { splitName, type PersonName } from './names.ts';

export type CitablePaper = Pick<PaperDetail, 'id' | 'title' | 'authors' | 'published' | 'primaryCategory' | 'categories' | 'abstract' | 'doi' | 'journalRef' | 'comment'>;

export interface CitationRecord {
  /** The citation key: stable (from the arXiv id, the first author and the year of v1) and unique (the id is in it). */
  key: string;
  arxivId: string;
  title: string;
  authors: PersonName[];
  /** The first version's submission date, as YYYY-MM-DD: when the work was made public. */
  date: string;
  primaryCategory: string;
  categories: string[];
  abstract: string;
  doi: string | null;
  journalRef: string | null;
  comment: string | null;
  absUrl: string;
  pdfUrl: string;
}

/** ASCII letters of a name (accents dropped), for a key readable in any TeX setup. */
function asciiWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/**
 * `vaswani2017_1706.03762`: the first author's family name and the year for people, the arXiv id
 * for uniqueness (a slash of an old-style id becomes `_`, which no arXiv id holds, so keys stay
 * distinct). Only characters every BibTeX dialect accepts in a key.
 */
export function citationKey(paper: Pick<CitablePaper, 'id' | 'authors' | 'published'>): string {
  const first = paper.authors[0] ? splitName(paper.authors[0].name) : null;
  const word = first ? asciiWord('literal' in first ? first.literal.split(' ')[0]! : first.family) : '';
  return `${word || 'arxiv'}${paper.published.slice(0, 4)}_${paper.id.replaceAll('/', '_')}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const orNull = (text: string | null) => (text && oneLine(text) ? oneLine(text) : null);

export function toCitationRecord(paper: CitablePaper): CitationRecord {
  const links = arxivLinks(paper.id);
  return {
    key: citationKey(paper),
    arxivId: paper.id,
    title: oneLine(paper.title),
    authors: paper.authors.map((author) => splitName(author.name)),
    date: paper.published.slice(0, 10),
    primaryCategory: paper.primaryCategory,
    categories: paper.categories,
    abstract: oneLine(paper.abstract),
    doi: orNull(paper.doi),
    journalRef: orNull(paper.journalRef),
    comment: orNull(paper.comment),
    absUrl: links.abs,
    pdfUrl: links.pdf,
  };
}
