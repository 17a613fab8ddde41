import type { Follow, LibraryItem, Reader } from '../../store/repositories/readers.ts';
import { ExportLinks } from '../components/citation-links.tsx';
import { PaperCardView } from '../components/paper-card.tsx';
import { formatCount, formatLongDate, formatShortDate } from '../format.ts';
import { Layout } from '../layout.tsx';
import { MathText } from '../math.tsx';
import type { PersonalDigest } from '../readers/personal-digest.ts';

/** Picks shown on the page; the API and the feeds give the whole ranked day. */
export const ME_PICKS = 20;

const FOLLOW_LABEL: Record<Follow['kind'], string> = { author: 'Author', topic: 'Topic', category: 'Category', include: 'Include keyword', exclude: 'Exclude keyword' };

/** /me: the reader's picks of a day with their reasons, the other days, their library and what they follow. */
/** `signOut`: the CSRF token of the sign-out form (email mode), or null (owner mode: nobody signs in). */
export function MePage({ reader, digest, days, library, follows, signOut }: { reader: Reader; digest: PersonalDigest | null; days: string[]; library: LibraryItem[]; follows: Follow[]; signOut: string | null }) {
  return (
    <Layout title="Your digest — papersift" description="The day's papers ranked for you, with the reasons.">
      <section class="hero">
        <h1>Your digest</h1>
        <p>
          {digest ? (
            <>
              Papers of <time datetime={digest.date}>{formatLongDate(digest.date)}</time> ranked for {reader.email === 'owner@localhost' ? 'you' : reader.email}: {formatCount(digest.papers.length)}{' '}
              pass your rules, the best {Math.min(ME_PICKS, digest.papers.length)} shown. The ranking learns from your library and
              your saves (<a href="/about/scores">how the public digest is chosen</a>).
            </>
          ) : (
            'No announcement day is stored yet.'
          )}
        </p>
        {signOut ? (
          <form method="post" action="/sign-out">
            <input type="hidden" name="csrf" value={signOut} />
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </section>
      <nav class="days" aria-label="Announcement days">
        <ul>
          {days.map((day) => (
            <li>
              <a href={day === days[0] ? '/me' : `/me?date=${day}`} aria-current={day === digest?.date ? 'page' : undefined}>
                {formatShortDate(day)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section class="cards" aria-label="Your picks">
        {(digest?.papers ?? []).slice(0, ME_PICKS).map(({ personal, ...card }, index) => (
          <PaperCardView card={{ ...card, why: personal.why }} rank={index + 1} />
        ))}
      </section>
      <section aria-labelledby="library">
        <h2 id="library">Your library ({formatCount(library.length)})</h2>
        {library.length === 0 ? (
          <p>Your library is empty: add papers with POST /api/v1/me/library (arXiv ids or URLs), or save them.</p>
        ) : (
          <>
            <ExportLinks path="/api/v1/me/library/citation" label="Export your library" />
            <ul class="library">
              {library.map((item) => (
                <li>
                  {item.paperId ? (
                    <a href={`/papers/${item.paperId}`}>
                      <MathText text={item.title} />
                    </a>
                  ) : (
                    <MathText text={item.title} />
                  )}{' '}
                  <span class="category">{item.source}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="follows">
        <h2 id="follows">What you follow</h2>
        {follows.length === 0 ? (
          <p>Nothing yet.</p>
        ) : (
          <ul>
            {follows.map((follow) => (
              <li>
                {FOLLOW_LABEL[follow.kind]}: {follow.name ?? follow.value}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
