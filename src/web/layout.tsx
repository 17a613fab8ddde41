import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  description?: string;
  children: Child;
}

/** The one page frame every server-rendered page uses. */
export function Layout({ title, description, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/assets/style.css" />
        {/* No icon yet: an empty one stops browsers asking for /favicon.ico (a 404 in every console). */}
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            papersift
          </a>
          <nav aria-label="Site">
            <a href="/">Today</a>
            <a href="/about/scores">Scores</a>
            <a href="/api/v1/digest">API</a>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>
            Paper metadata from <a href="https://arxiv.org/">arXiv</a> (CC0). Thank you to arXiv for use of its open access
            interoperability. Summaries are written by papersift and say which engine wrote them.
          </p>
        </footer>
      </body>
    </html>
  );
}
