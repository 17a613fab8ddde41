import type { Digest } from '../../digest/digest-query.ts';
import { TAXONOMY, tagSlug, type Tag } from '../../domain/taxonomy.ts';
import { PaperCardView } from '../components/paper-card.tsx';
import { formatCount, formatLongDate, formatShortDate } from '../format.ts';
import { DIGEST_FEEDS, feedLinks } from '../feeds/links.ts';
import { SubscribeLinks } from '../feeds/subscribe.tsx';
import { ExportLinks } from '../components/citation-links.tsx';
import { Layout } from '../layout.tsx';

const TIME_ET = new Intl.DateTimeFormat('en-US', { weekday: 'long', hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York', timeZoneName: 'short' });

/** "No announcement today (weekend)" and "1,412 listed, 1,412 stored": quiet days are stated, not left blank. */
function AnnouncementLine({ digest }: { digest: Digest }) {
  const { announcement } = digest;
  const shown = announcement.shownDay;
  return (
    <p class="announcement-status" data-today-kind={announcement.todayKind}>
      {announcement.todayKind !== 'announcement' ? <strong>No arXiv announcement today ({announcement.todayKind}). </strong> : null}
      {shown
        ? shown.kind === 'announcement'
          ? `${formatLongDate(shown.day)}: announced at 20:00 ET the evening before; ${formatCount(shown.listed)} papers listed in the followed categories, ${formatCount(shown.stored)} stored. `
          : `${formatLongDate(shown.day)}: no announcement (${shown.kind === 'empty' ? 'arXiv listed nothing: a holiday or a deferred mailing' : shown.kind}). `
        : null}
      Next announcement: {TIME_ET.format(new Date(announcement.next.at))} (mailing of {formatShortDate(announcement.next.day)}).
    </p>
  );
}

function dayHref(day: string, latest: string | undefined): string {
  return day === latest ? '/' : `/digest/${day}`;
}

export interface DigestFilter {
  /** Papers carrying any of these topics; none means every topic. */
  tags: Tag[];
  hasCode: boolean;
}

/** The query string of a filtered digest ("?" alone clears every filter, keeping the day's path). */
export function filterHref({ tags, hasCode }: DigestFilter): string {
  const params = [...tags.map((t) => `tag=${tagSlug(t)}`), ...(hasCode ? ['code=1'] : [])];
  return `?${params.join('&')}`;
}

function toggled(tags: Tag[], tag: Tag): Tag[] {
  return tags.includes(tag) ? tags.filter((t) => t !== tag) : TAXONOMY.filter((t) => t === tag || tags.includes(t));
}

export function DigestPage({ digest, filter }: { digest: Digest; filter: DigestFilter }) {
  const latest = digest.days[0];
  const { tags, hasCode } = filter;
  const cards = digest.papers.filter((p) => (tags.length === 0 || p.tags.some((t) => tags.includes(t))) && (!hasCode || p.links.code !== undefined));
  const tagsPresent = TAXONOMY.filter((t) => digest.papers.some((p) => p.tags.includes(t)));
  const tag = tags.length === 1 ? tags[0]! : null;
  const { stats } = digest;
  return (
    <Layout title={`papersift — ML research digest, ${formatLongDate(digest.date)}`} description="Today's ML research, without the noise." feeds={tag ? [...DIGEST_FEEDS, ...feedLinks(`/feeds/tags/${tagSlug(tag)}`, `papersift: ${tag}`)] : DIGEST_FEEDS}>
      <section class="hero">
        <h1>Today's ML research, without the noise.</h1>
        <p class="tagline">
          papersift reads every new machine-learning paper on arXiv and keeps the ones worth your time, each summarised in
          four lines.
        </p>
        <p class="digest-date">
          {digest.isLatest ? 'Latest announcement: ' : 'Announcement of '}
          <time datetime={digest.date}>{formatLongDate(digest.date)}</time>
        </p>
        <dl class="figures">
          <div>
            <dt>papers today</dt>
            <dd data-figure="papers-today">{formatCount(stats.papersToday)}</dd>
          </div>
          <div>
            <dt>update frequency</dt>
            <dd data-figure="update-frequency">{stats.updateFrequencyHours === null ? 'scheduled' : `${stats.updateFrequencyHours}h`}</dd>
          </div>
          <div>
            <dt>days of history</dt>
            <dd data-figure="days-of-history">{stats.daysOfHistory}</dd>
          </div>
        </dl>
        <AnnouncementLine digest={digest} />
        <p class="figures-note">
          {formatCount(stats.papersToday)} selected from {formatCount(stats.papersAnnounced)} papers announced in the followed
          categories (<a href={`/digest/${digest.date}/all`}>all papers of the day with their scores</a>;{' '}
          <a href="/about/scores">how papers are scored</a>).
        </p>
        <SubscribeLinks feeds={DIGEST_FEEDS} />
        <ExportLinks path="/api/v1/digest/citation" query={`date=${digest.date}`} label="Export this digest's papers" />
        {tag ? <SubscribeLinks feeds={feedLinks(`/feeds/tags/${tagSlug(tag)}`, `papersift: ${tag}`)} label={`Subscribe to ${tag}`} /> : null}
      </section>
      <nav class="days" aria-label="Announcement days">
        <ul>
          {digest.days.map((day) => (
            <li>
              <a href={dayHref(day, latest)} aria-current={day === digest.date ? 'page' : undefined}>
                {formatShortDate(day)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <nav class="tag-filter" aria-label="Filter by topic">
        <ul>
          <li>
            <a href={filterHref({ tags: [], hasCode })} aria-current={tags.length === 0 ? 'true' : undefined}>
              All topics
            </a>
          </li>
          {tagsPresent.map((t) => (
            <li>
              <a href={filterHref({ tags: toggled(tags, t), hasCode })} aria-current={tags.includes(t) ? 'true' : undefined}>
                {t}
              </a>
            </li>
          ))}
          <li class="code-chip">
            <a href={filterHref({ tags, hasCode: !hasCode })} aria-current={hasCode ? 'true' : undefined}>
              Has code
            </a>
          </li>
        </ul>
        <p class="filter-note">
          {tags.length === 0 && !hasCode
            ? 'Topics combine: choose several to see papers of any of them.'
            : `${formatCount(cards.length)} of ${formatCount(digest.papers.length)} papers shown${tags.length > 0 ? `: ${tags.join(' or ')}` : ''}${hasCode ? `${tags.length > 0 ? ',' : ':'} with code` : ''}.`}
        </p>
      </nav>
      {cards.length === 0 ? <p class="empty">No paper in this digest matches these filters.</p> : null}
      <div class="cards">
        {cards.map((card, index) => (
          <PaperCardView card={card} rank={index + 1} />
        ))}
      </div>
    </Layout>
  );
}

export function NoDigestPage({ message }: { message: string }) {
  return (
    <Layout title="papersift — no digest">
      <section class="hero">
        <h1>No digest here</h1>
        <p>{message}</p>
        <p>
          <a href="/">Go to the latest digest</a>
        </p>
      </section>
    </Layout>
  );
}
