import type { Context } from 'hono';
import type { PaperDetail } from '../../digest/cards.ts';
import { CITATION_EXTENSIONS, CITATION_MEDIA_TYPES, formatCitations, type CitationFormat } from './formats.ts';

/**
 * A citation export: the papers in full (abstract, DOI, journal reference), as a file of the format.
 * A reader's library (issue 18) is exported the same way, from its papers.
 */
export function citationAnswer(c: Context, papers: PaperDetail[], format: CitationFormat, fileName: string) {
  return c.body(formatCitations(papers, format), 200, {
    'Content-Type': `${CITATION_MEDIA_TYPES[format]}; charset=utf-8`,
    'Content-Disposition': `attachment; filename="${fileName}.${CITATION_EXTENSIONS[format]}"`,
  });
}
