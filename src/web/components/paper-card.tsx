import type { PaperCard } from '../../digest/cards.ts';
import { tagSlug } from '../../domain/taxonomy.ts';
import { formatShortDate } from '../format.ts';
import { AuthorLinks } from './author-links.tsx';
import { ScoreBadges } from './scores.tsx';
import { MathText } from '../math.tsx';

/** What the language model was given: title, abstract, the authors' comment when there is one, categories. */
function llmInputs(comment: boolean | undefined): string {
  if (comment === undefined) return "the paper's title, abstract, author comment (if any) and arXiv categories";
  return comment ? "the paper's title, abstract, author comment and arXiv categories" : "the paper's title, abstract and arXiv categories (it has no author comment)";
}

/**
 * Which engine and model wrote the summary, and from what. `comment` says whether the paper has an author
 * comment (sent to the model with title and abstract); left out where the page does not know.
 */
export function SummarySource({ source, comment }: { source: PaperCard['summarySource']; comment?: boolean }) {
  if (!source) return <p class="summary-source">Not summarised yet.</p>;
  const offline = source.engine === 'offline';
  const engine = offline ? 'papersift offline extractive summariser' : source.engine;
  return (
    <p class="summary-source">
      Summary by {engine} ({source.model}), <time datetime={source.createdAt}>{formatShortDate(source.createdAt)}</time>
      {source.outcome === 'fallback' ? ' — fallback after the configured engine failed' : ''}.{' '}
      {offline
        ? "Sentences are taken from the paper's abstract."
        : `Written by a language model (${source.engine} ${source.model}) from ${llmInputs(comment)}; every number and named benchmark in it was checked against the paper.`}
    </p>
  );
}

export function SummarySections({ card }: { card: PaperCard }) {
  const sections: Array<[string, string]> = [
    ['Summary', card.sections.summary],
    ['Methodology', card.sections.methodology],
    ['Results', card.sections.results],
    ['Implications', card.sections.implications],
  ];
  return (
    <div class="sections">
      {sections.map(([heading, text]) => (
        <section class="summary-section" data-section={heading.toLowerCase()}>
          <h3>{heading}</h3>
          <p>
            <MathText text={text} />
          </p>
        </section>
      ))}
    </div>
  );
}

/** The card's tags, each a link (`href` of the tag): the digest filters its day, the paper page searches. */
export function TagList({ tags, href }: { tags: PaperCard['tags']; href: (slug: string) => string }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label="Topics">
      {tags.map((tag) => (
        <li>
          <a class="tag" href={href(tagSlug(tag))}>
            {tag}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** One paper on the digest: title, tags, 4 highlights, and "Read more" with the four sections. */
export function PaperCardView({ card, rank }: { card: PaperCard; rank: number }) {
  const headingId = `paper-${rank}`;
  return (
    <article class="card" aria-labelledby={headingId} data-paper-id={card.id}>
      <p class="card-meta">
        <span class="category">{card.primaryCategory}</span>
        <a href={card.links.abs}>arXiv:{card.id}v{card.version}</a>
        <a href={card.links.pdf}>PDF</a>
        {card.links.code ? (
          <a class="badge-code" href={card.links.code}>
            Code
          </a>
        ) : null}
      </p>
      <h2 id={headingId} class="card-title">
        <a href={`/papers/${card.id}`}>
          <MathText text={card.title} />
        </a>
      </h2>
      <p class="authors">
        <AuthorLinks authors={card.authors} shown={3} />
      </p>
      <p class="card-scores">
        <ScoreBadges scores={card.scores} />
      </p>
      <TagList tags={card.tags} href={(slug) => `?tag=${slug}`} />
      <ul class="highlights">
        {card.highlights.map((h) => (
          <li>
            <MathText text={h} />
          </li>
        ))}
      </ul>
      {card.why ? <p class="why">Why this paper: {card.why}</p> : null}
      <form class="feedback" method="post" action="/me/feedback">
        <input type="hidden" name="paper" value={card.id} />
        <button type="submit" name="signal" value="save">
          Save
        </button>{' '}
        <button type="submit" name="signal" value="not-interested">
          Not interested
        </button>
      </form>
      <details class="read-more">
        <summary>Read more</summary>
        <SummarySections card={card} />
        <SummarySource source={card.summarySource} />
      </details>
    </article>
  );
}
