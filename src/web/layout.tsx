import type { Child } from 'hono/jsx';
import type { FeedLink } from './feeds/links.ts';

export interface LayoutProps {
  title: string;
  description?: string;
  /** Feeds of what the page shows, announced as `<link rel="alternate">`. */
  feeds?: FeedLink[];
  /** The search box keeps the query of a results page. */
  query?: string;
  /** More of <head>: a paper page's citation and Open Graph tags. */
  head?: Child;
  children: Child;
}

/** The one page frame every server-rendered page uses. */
export function Layout({ title, description, feeds = [], query = '', head = null, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/assets/style.css" />
        {/* No favicon yet: an empty icon keeps browsers from requesting /favicon.ico (a 404 on every page). */}
        <link rel="icon" href="data:," />
        {feeds.map((feed) => (
          <link rel="alternate" type={feed.type} href={feed.href} title={feed.title} />
        ))}
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            papersift
          </a>
          <form class="site-search" role="search" aria-label="Site search" action="/search" method="get">
            <label class="visually-hidden" for="site-search">
              Search papers
            </label>
            <input type="search" id="site-search" name="q" value={query} placeholder="Search papers" maxlength={200} />
            <button type="submit">Search</button>
          </form>
          <nav aria-label="Site">
            <a href="/">Today</a>
            <a href="/search">Search</a>
            <a href="/about">About</a>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>
            Paper metadata from <a href="https://arxiv.org/">arXiv</a> (CC0). Thank you to arXiv for use of its open access
            interoperability. Summaries are written by papersift and say which engine wrote them.
          </p>
          <p class="footer-links">
            <a href="/about">About</a> · <a href="/about/scores">How scores work</a> · <a href="/feeds/digest.rss">Digest feed</a> ·{' '}
            <a href="/api/v1/openapi.json">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
