/** The three feed formats papersift serves, and the links pages put in their head and body. */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

export interface FeedLink {
  format: FeedFormat;
  name: string;
  type: string;
  href: string;
  title: string;
}

/** `base` is a feed path without extension (`/feeds/digest`); `query` a query string without "?". */
export function feedLinks(base: string, title: string, query = ''): FeedLink[] {
  return FEED_FORMATS.map((format) => ({
    format,
    name: FORMAT_NAMES[format],
    type: FEED_MEDIA_TYPES[format],
    href: `${base}.${format}${query ? `?${query}` : ''}`,
    title: `${title} (${FORMAT_NAMES[format]})`,
  }));
}

export const DIGEST_FEEDS = feedLinks('/feeds/digest', 'papersift daily digest');
