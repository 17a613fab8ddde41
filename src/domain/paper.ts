/**
 * Domain types shared by every stage. Sources parse external data into these once, at the edge;
 * nothing past `src/arxiv` sees XML, JSON lines or HTTP.
 */

/** How arXiv announced a paper on a given day (the announce_type of its RSS/Atom feeds). */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

export interface PaperAuthor {
  name: string;
  affiliations: string[];
}

export interface CodeLink {
  url: string;
  /** Which field the link was found in. */
  foundIn: 'comment' | 'abstract';
}

/** One version of one arXiv paper, as a source delivered it. */
export interface PaperRecord {
  /** arXiv id without version, e.g. "2606.14721" or "hep-th/9901001". */
  id: string;
  version: number;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  /** Primary category first, then cross-lists, as arXiv orders them. */
  categories: string[];
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  /** ISO timestamp of version 1, when known; otherwise the first announcement date. */
  published: string;
  /** ISO timestamp of this version. */
  updated: string;
  /** Every version arXiv lists for the paper (OAI-PMH arXivRaw gives them all), when known. */
  versions?: Array<{ version: number; submitted: string }>;
}

/** A paper as announced on one announcement day. */
export interface AnnouncedPaper {
  record: PaperRecord;
  /** YYYY-MM-DD: the arXiv mailing date the paper was listed under. */
  announcedOn: string;
  announceType: AnnounceType;
  /** The version this announcement listed, when it is not the record's own (e.g. v1's "new" for a v3 record). */
  announcedVersion?: number;
}

export interface ArxivLinks {
  abs: string;
  pdf: string;
}

export function arxivLinks(id: string, version?: number): ArxivLinks {
  const suffix = version === undefined ? '' : `v${version}`;
  return {
    abs: `https://arxiv.org/abs/${id}${suffix}`,
    pdf: `https://arxiv.org/pdf/${id}${suffix}`,
  };
}
