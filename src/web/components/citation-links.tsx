import type { PaperDetail } from '../../digest/cards.ts';
import { CITATION_FORMATS, CITATION_LABELS, CITATION_MEDIA_TYPES, formatCitations } from '../citations/formats.ts';

/** `/api/v1/…/citation?…&format=…`: `query` is the rest of the query string ('' for none). */
const exportHref = (path: string, query: string, format: string) => `${path}?${query ? `${query}&` : ''}format=${format}`;

/** "Export as BibTeX, RIS, CSL-JSON": one download link per format of a citation export route. */
export function ExportLinks({ path, query = '', label }: { path: string; query?: string; label: string }) {
  return (
    <p class="export">
      {label}:{' '}
      {CITATION_FORMATS.map((format, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={exportHref(path, query, format)} type={CITATION_MEDIA_TYPES[format]} download>
            {CITATION_LABELS[format]}
          </a>
        </>
      ))}
    </p>
  );
}

/**
 * The paper page's "Cite" menu: a <details> element (no script, so it works under the strict CSP),
 * showing the BibTeX entry to copy and a download link per format.
 */
export function CiteMenu({ paper }: { paper: PaperDetail }) {
  const path = `/api/v1/papers/${paper.id}/citation`;
  return (
    <details class="cite">
      <summary>Cite</summary>
      <pre class="bibtex" aria-label="BibTeX">
        {formatCitations([paper], 'bibtex')}
      </pre>
      <ExportLinks path={path} label="Download" />
    </details>
  );
}
