import type { DayPaper, DayPapers } from '../../digest/day-papers.ts';
import { formatCount, formatLongDate } from '../format.ts';
import { Pagination } from '../components/pagination.tsx';
import { Layout } from '../layout.tsx';
import { MathText } from '../math.tsx';

const ANNOUNCE_LABEL: Record<DayPaper['announceType'], string> = { new: 'new', cross: 'cross-list', replace: 'revised', 'replace-cross': 'revised cross-list' };

/** /digest/YYYY-MM-DD/all: every paper of the day with its scores, so the selection can be checked. */
export function DayPapersPage({ day, latest }: { day: DayPapers; latest: boolean }) {
  const digestHref = latest ? '/' : `/digest/${day.date}`;
  const first = (day.page - 1) * day.pageSize;
  const pageLink = (page: number) => (page === 1 ? `/digest/${day.date}/all` : `/digest/${day.date}/all?page=${page}`);
  return (
    <Layout title={`All papers of ${formatLongDate(day.date)} — papersift`} description="Every paper of the day with its Novelty % and AI Score.">
      <section class="hero">
        <h1>
          All papers of <time datetime={day.date}>{formatLongDate(day.date)}</time>
        </h1>
        <p>
          {formatCount(day.total)} papers announced in the followed categories, best combined score first;{' '}
          {formatCount(day.selected)} are in <a href={digestHref}>the day's digest</a>. <a href="/about/scores">How the scores work</a>.
        </p>
      </section>
      <div class="table-scroll" role="region" aria-label="Papers of the day" tabindex={0}>
        <table class="day-papers">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">paper</th>
              <th scope="col">listed as</th>
              <th scope="col">Novelty %</th>
              <th scope="col">AI Score</th>
              <th scope="col">combined</th>
              <th scope="col">digest</th>
            </tr>
          </thead>
          <tbody>
            {day.papers.map((p, index) => (
              <tr data-paper-id={p.id}>
                <td>{first + index + 1}</td>
                <td>
                  <a href={`/papers/${p.id}`}>
                    <MathText text={p.title} />
                  </a> <span class="category">{p.primaryCategory}</span>
                </td>
                <td>{ANNOUNCE_LABEL[p.announceType]}</td>
                <td data-score="novelty">{p.scores ? Math.round(p.scores.novelty) : '—'}</td>
                <td data-score="ai">{p.scores ? Math.round(p.scores.aiScore) : '—'}</td>
                <td>{p.combined === null ? '—' : Math.round(p.combined)}</td>
                <td>{p.digestRank === null ? '' : `#${p.digestRank}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={day.page} pages={day.pages} href={pageLink} label="Pages" previous="Higher scores" next="Lower scores">
        {` (papers ${formatCount(first + 1)}–${formatCount(first + day.papers.length)})`}
      </Pagination>
    </Layout>
  );
}
