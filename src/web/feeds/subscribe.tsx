import type { FeedLink } from './links.ts';

/** The visible "Subscribe" line: one link per format, the first one named plainly. */
export function SubscribeLinks({ feeds, label = 'Subscribe' }: { feeds: FeedLink[]; label?: string }) {
  const [first, ...rest] = feeds;
  if (!first) return null;
  return (
    <p class="subscribe">
      <a href={first.href} type={first.type} rel="alternate">
        {label}
      </a>{' '}
      ({first.name}
      {rest.map((feed) => (
        <>
          {', '}
          <a href={feed.href} type={feed.type}>
            {feed.name}
          </a>
        </>
      ))}
      )
    </p>
  );
}
