import type { PaperDetail } from '../../digest/cards.ts';
import { arxivLinks } from '../../domain/paper.ts';
import { plainMath } from '../math.tsx';

/**
 * The paper page's machine-readable description: Highwire Press tags (what the Zotero Connector and
 * Google Scholar read), Open Graph tags (link previews). Values are attribute text, escaped by JSX.
 */
export function PaperMeta({ paper }: { paper: PaperDetail }) {
  const links = arxivLinks(paper.id);
  const title = plainMath(paper.title);
  const published = paper.published.slice(0, 10);
  const description = paper.highlights[0] ?? paper.abstract.slice(0, 300);
  return (
    <>
      <meta name="citation_title" content={title} />
      {paper.authors.map((author) => (
        <meta name="citation_author" content={author.name} />
      ))}
      <meta name="citation_publication_date" content={published.replaceAll('-', '/')} />
      <meta name="citation_online_date" content={published.replaceAll('-', '/')} />
      <meta name="citation_arxiv_id" content={paper.id} />
      <meta name="citation_technical_report_institution" content="arXiv" />
      {paper.doi ? <meta name="citation_doi" content={paper.doi} /> : null}
      {paper.journalRef ? <meta name="citation_journal_title" content={paper.journalRef} /> : null}
      <meta name="citation_pdf_url" content={links.pdf} />
      <meta name="citation_abstract_html_url" content={links.abs} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content="papersift" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="article:published_time" content={published} />
      {paper.categories.map((category) => (
        <meta property="article:tag" content={category} />
      ))}
      <meta name="twitter:card" content="summary" />
    </>
  );
}
