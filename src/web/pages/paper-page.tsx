import type { PaperDetail } from '../../digest/cards.ts';
import type { SameAuthorPaper } from '../../digest/same-authors.ts';
import { AuthorLinks } from '../components/author-links.tsx';
import { CiteMenu } from '../components/citation-links.tsx';
import { PaperMeta } from '../components/paper-meta.tsx';
import { SummarySections, SummarySource, TagList } from '../components/paper-card.tsx';
import { ScoreBadges, ScoreExplanation } from '../components/scores.tsx';
import { formatListDate, formatLongDate } from '../format.ts';
import { Layout } from '../layout.tsx';
import { MathText, plainMath } from '../math.tsx';

export function PaperPage({ paper, sameAuthors }: { paper: PaperDetail; sameAuthors: SameAuthorPaper[] }) {
  return (
    <Layout title={`${plainMath(paper.title)} — papersift`} description={paper.highlights[0]} head={<PaperMeta paper={paper} />}>
      <article class="paper" data-paper-id={paper.id}>
        <p class="card-meta">
          <span class="category">{paper.categories.join(' · ')}</span>
        </p>
        <h1>
          <MathText text={paper.title} />
        </h1>
        <p class="authors">
          <AuthorLinks authors={paper.authors} />
        </p>
        <p class="card-meta">
          <a href={paper.links.abs}>arXiv:{paper.id}v{paper.version}</a>
          <a href={paper.links.pdf}>PDF</a>
          {paper.links.code ? <a href={paper.links.code}>Code</a> : null}
          {paper.announcedOn ? (
            <span>
              Announced <time datetime={paper.announcedOn}>{formatLongDate(paper.announcedOn)}</time>
            </span>
          ) : null}
          <span>
            Versions: {paper.versions.map((v) => `v${v.version} (${v.submitted.slice(0, 10)})`).join(', ')}
          </span>
        </p>
        <CiteMenu paper={paper} />
        <p class="card-scores">
          <ScoreBadges scores={paper.scores} />
        </p>
        <TagList tags={paper.tags} href={(slug) => `/search?tag=${slug}`} />
        {paper.comment ? <p class="comment">Comment: {paper.comment}</p> : null}
        {paper.highlights.length > 0 ? (
          <section>
            <h2>Highlights</h2>
            <ul class="highlights">
              {paper.highlights.map((h) => (
                <li>
                  <MathText text={h} />
                </li>
              ))}
            </ul>
            <SummarySections card={paper} />
          </section>
        ) : null}
        <SummarySource source={paper.summarySource} comment={Boolean(paper.comment?.trim())} />
        {paper.scores && paper.scoreDetails ? <ScoreExplanation scores={paper.scores} details={paper.scoreDetails} /> : null}
        <section>
          <h2>Abstract</h2>
          <p class="abstract">
            <MathText text={paper.abstract} />
          </p>
        </section>
        <section class="same-authors" aria-labelledby="same-authors-heading">
          <h2 id="same-authors-heading">Other papers by the same authors</h2>
          {sameAuthors.length === 0 ? (
            <p class="empty">No other paper of these authors is stored yet.</p>
          ) : (
            <ul class="profile-papers">
              {sameAuthors.map((other) => (
                <li class="profile-paper" data-paper-id={other.id}>
                  <a href={`/papers/${other.id}`}>
                    <MathText text={other.title} />
                  </a>{' '}
                  <span class="similarity">
                    <time datetime={other.day}>{formatListDate(other.day)}</time> · with{' '}
                    {other.sharedAuthors.map((a, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <a href={`/authors/${a.id}`}>{a.name}</a>
                      </>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </article>
    </Layout>
  );
}
