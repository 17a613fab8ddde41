import type { Child } from 'hono/jsx';
import { formatCount } from '../format.ts';

/**
 * Previous/next links around "Page N of M" (and what the page adds, such as the rows shown), for
 * every paged list: a day's papers, search results, an author's papers. Nothing when there is one page.
 */
export function Pagination(props: { page: number; pages: number; href: (page: number) => string; label: string; previous: string; next: string; children?: Child }) {
  const { page, pages, href } = props;
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={props.label}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {props.previous}
        </a>
      ) : null}
      <span>
        Page {formatCount(page)} of {formatCount(pages)}
        {props.children}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {props.next}
        </a>
      ) : null}
    </nav>
  );
}
