import type { PaperCard } from '../../digest/cards.ts';

/** Authors as links to their profiles: the first `shown`, then "et al." (all when `shown` is omitted). */
export function AuthorLinks({ authors, shown }: { authors: PaperCard['authors']; shown?: number }) {
  const visible = shown === undefined ? authors : authors.slice(0, shown);
  return (
    <>
      {visible.map((author, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a class="author" href={`/authors/${author.id}`}>
            {author.name}
          </a>
        </>
      ))}
      {visible.length < authors.length ? ' et al.' : ''}
    </>
  );
}
