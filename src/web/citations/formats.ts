/**
 * The citation formats papersift exports, each with its media type and file extension: one place for
 * the API routes, the OpenAPI document and the pages' links.
 */
import { toBibtex } from './bibtex.ts';
import { toCslItem } from './csl.ts';
import { toCitationRecord, type CitablePaper } from './record.ts';
import { toRis } from './ris.ts';

export const CITATION_FORMATS = ['bibtex', 'ris', 'csl-json'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

export const CITATION_MEDIA_TYPES: Record<CitationFormat, string> = {
  bibtex: 'application/x-bibtex',
  ris: 'application/x-research-info-systems',
  'csl-json': 'application/vnd.citationstyles.csl+json',
};

export const CITATION_EXTENSIONS: Record<CitationFormat, string> = { bibtex: 'bib', ris: 'ris', 'csl-json': 'json' };

export const CITATION_LABELS: Record<CitationFormat, string> = { bibtex: 'BibTeX', ris: 'RIS', 'csl-json': 'CSL-JSON' };

/** Every paper in one document of the format, in the order given (an empty list is a valid, empty document). */
export function formatCitations(papers: CitablePaper[], format: CitationFormat): string {
  const records = papers.map(toCitationRecord);
  if (format === 'csl-json') return `${JSON.stringify(records.map(toCslItem), null, 2)}\n`;
  if (format === 'ris') return records.map(toRis).join('\r\n');
  return records.map(toBibtex).join('\n');
}
