import type { Figure } from '../../digest/author-figures.ts';
import type { AuthorProfile } from '../../digest/author-profile.ts';
import type { Affiliation } from '../../domain/affiliations.ts';
import { AuthorLinks } from '../components/author-links.tsx';
import { Pagination } from '../components/pagination.tsx';
import { categoryCode, formatCount, formatListDate } from '../format.ts';
import { feedLinks } from '../feeds/links.ts';
import { SubscribeLinks } from '../feeds/subscribe.tsx';
import { Layout } from '../layout.tsx';
import { MathText } from '../math.tsx';

function FigureBox({ name, figure, kind, format }: { name: string; figure: Figure; kind: string; format?: (n: number) => string }) {
  return (
    <div data-figure={kind}>
      <dt>{name}</dt>
      <dd class="figure-value">{figure.value === null ? '—' : (format ?? formatCount)(figure.value)}</dd>
      <dd class="figure-source">{figure.label}</dd>
    </div>
  );
}

function Affiliations({ list }: { list: Affiliation[] }) {
  if (list.length === 0) return null;
  return (
    <ul class="affiliations" aria-label="Affiliations">
      {list.map((a) => (
        <li>
          <abbr title={a.name}>{a.short}</abbr>
        </li>
      ))}
    </ul>
  );
}

/** A researcher profile: identity, figures with their scope and source, papers newest first. */
export function AuthorPage({ profile, today = new Date() }: { profile: AuthorProfile; today?: Date }) {
  const { paperList } = profile;
  const pageLink = (page: number) => `/authors/${profile.id}${page > 1 ? `?page=${page}` : ''}`;
  const feeds = feedLinks(`/feeds/authors/${profile.id}`, `papersift: papers by ${profile.name}`);
  return (
    <Layout title={`${profile.name} — papersift`} description={`${profile.name}: ${paperList.total} papers on papersift`} feeds={feeds}>
      <article class="profile" data-author-id={profile.id}>
        <h1>{profile.name}</h1>
        <p class="card-meta">
          <span class="category" title={`${profile.primaryCategory.scope} (${profile.primaryCategory.source})`} data-field="primary-category">
            {categoryCode(profile.primaryCategory.value)}
          </span>
          {profile.links.semanticScholar ? <a href={profile.links.semanticScholar}>Semantic Scholar profile</a> : null}
          {profile.links.openAlex ? <a href={profile.links.openAlex}>OpenAlex</a> : null}
          {profile.links.orcid ? <a href={profile.links.orcid}>ORCID {profile.ids.orcid}</a> : null}
        </p>
        {profile.verified ? null : (
          <p class="unverified" data-field="unverified">
            Unverified: no Semantic Scholar, OpenAlex or ORCID id links this name to a person yet, so this profile holds only
            this appearance of the name. Namesakes are never merged by name.
          </p>
        )}
        <Affiliations list={profile.affiliations} />
        <dl class="figures profile-figures">
          <FigureBox name="h-index" figure={profile.hIndex} kind="h-index" />
          <FigureBox name="Papers" figure={profile.papers} kind="papers" />
          <FigureBox name="Citations" figure={profile.citations} kind="citations" />
          <FigureBox name="Novelty" figure={profile.novelty} kind="novelty" format={(n) => `${n}%`} />
          <FigureBox name="AI Score" figure={profile.aiScore} kind="ai-score" />
        </dl>
        <ul class="figures-note listed-figures" aria-label="Figures of the papers listed">
          <li data-figure="listed-papers">{profile.listed.papers.label}</li>
          <li data-figure="listed-citations">{profile.listed.citations.label}</li>
          <li data-figure="listed-h-index">{profile.listed.hIndex.label}</li>
        </ul>
        <h2>{formatCount(paperList.total)} Papers</h2>
        <SubscribeLinks feeds={feeds} label="Follow this author" />
        <ol class="profile-papers">
          {paperList.papers.map((paper) => (
            <li class="profile-paper" data-paper-id={paper.id}>
              <p class="card-meta">
                <span class="category">{categoryCode(paper.primaryCategory)}</span>
                <time datetime={paper.date}>{formatListDate(paper.date, today)}</time>
                {paper.links.code ? (
                  <a class="badge-code" href={paper.links.code}>
                    Code
                  </a>
                ) : null}
              </p>
              <h3 class="card-title">
                <a href={`/papers/${paper.id}`}>
                  <MathText text={paper.title} />
                </a>
              </h3>
              <p class="authors">
                <AuthorLinks authors={paper.authors} shown={3} />
              </p>
              <Affiliations list={paper.affiliations} />
              <p class="abstract">
                <MathText text={paper.abstract} />
              </p>
            </li>
          ))}
        </ol>
        <Pagination page={paperList.page} pages={paperList.pages} href={pageLink} label="Pages" previous="Newer" next="Older" />
      </article>
    </Layout>
  );
}
