import { Feed } from 'feed';
import type { PaperCard } from '../../digest/cards.ts';
import type { Segment } from '../../digest/highlight.ts';
import { authorLine } from '../format.ts';
import { Highlighted } from '../search/highlighted.tsx';
import { FEED_MEDIA_TYPES, type FeedFormat } from './links.ts';

export interface FeedEntry {
  card: PaperCard;
  /** The announcement (or publication) day, YYYY-MM-DD. */
  day: string;
  /** The passage that matched a search, when the feed is one. */
  snippet?: Segment[];
}

export interface FeedSource {
  title: string;
  description: string;
  /** The page the feed follows, as a path (`/`, `/search?q=…`). */
  pagePath: string;
  /** This feed's own path without the extension (`/feeds/digest`) and its query string. */
  feedPath: string;
  feedQuery: string;
  entries: FeedEntry[];
}

/** An item's HTML: rendered by JSX, so every string from arXiv or a summary is escaped. */
function ItemBody({ entry, origin }: { entry: FeedEntry; origin: string }) {
  const { card } = entry;
  return (
    <>
      <p>{authorLine(card.authors.map((a) => a.name))}</p>
      {entry.snippet ? (
        <p>
          <Highlighted segments={entry.snippet} />
        </p>
      ) : null}
      <ul>
        {card.highlights.map((h) => (
          <li>{h}</li>
        ))}
      </ul>
      {card.why ? <p>Why this paper: {card.why}</p> : null}
      <p>
        <a href={`${origin}/papers/${card.id}`}>Summary on papersift</a> · <a href={card.links.abs}>arXiv</a> · <a href={card.links.pdf}>PDF</a>
        {card.links.code ? (
          <>
            {' · '}
            <a href={card.links.code}>Code</a>
          </>
        ) : null}
      </p>
    </>
  );
}

async function render(node: { toString(): string | Promise<string> }): Promise<string> {
  return String(await node.toString());
}

const dayDate = (day: string) => new Date(`${day.slice(0, 10)}T00:00:00Z`);

/**
 * One feed in one format, through the `feed` library. Atom titles and summaries are typed HTML and
 * readers treat RSS titles and descriptions as HTML too, so those are HTML-escaped text there.
 */
export async function buildFeed(source: FeedSource, format: FeedFormat, origin: string): Promise<{ body: string; contentType: string }> {
  const query = source.feedQuery ? `?${source.feedQuery}` : '';
  const selfUrl = (f: FeedFormat) => `${origin}${source.feedPath}.${f}${query}`;
  const newest = source.entries.map((e) => e.day).sort().at(-1);
  const feed = new Feed({
    id: selfUrl(format),
    title: source.title,
    description: source.description,
    link: `${origin}${source.pagePath}`,
    language: 'en',
    updated: newest ? dayDate(newest) : new Date(0),
    generator: 'papersift',
    copyright: 'Paper metadata from arXiv (CC0); summaries by papersift.',
    feedLinks: { [format]: selfUrl(format) },
  });
  // RSS descriptions and Atom summaries are HTML to readers; JSON Feed's summary is plain text.
  const asHtml = format !== 'json';
  const text = async (value: string) => (asHtml ? render(<>{value}</>) : value);
  for (const entry of source.entries) {
    const { card } = entry;
    const link = `${origin}/papers/${card.id}`;
    feed.addItem({
      id: card.links.abs,
      title: await text(card.title),
      link,
      date: dayDate(entry.day),
      description: await text(card.highlights[0] ?? ''),
      content: await render(<ItemBody entry={entry} origin={origin} />),
      author: card.authors.map((a) => ({ name: a.name })),
      category: card.tags.map((tag) => ({ name: tag })),
    });
  }
  const body = format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
  return { body, contentType: `${FEED_MEDIA_TYPES[format]}; charset=utf-8` };
}
