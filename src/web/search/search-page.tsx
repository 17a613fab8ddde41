import type { SearchResults } from '../../digest/search.ts';
import { TAXONOMY, tagSlug } from '../../domain/taxonomy.ts';
import { feedLinks } from '../feeds/links.ts';
import { SubscribeLinks } from '../feeds/subscribe.tsx';
import { ExportLinks } from '../components/citation-links.tsx';
import { formatCount, formatShortDate } from '../format.ts';
import { Layout } from '../layout.tsx';
import { Highlighted } from './highlighted.tsx';
import { Pagination } from '../components/pagination.tsx';
import { searchQueryString, type SearchQuery } from './params.ts';

function SearchForm({ query }: { query: Partial<SearchQuery> }) {
  return (
    <form class="search-form" action="/search" method="get" role="search" aria-label="Search papers with filters">
      <div class="query">
        <label class="visually-hidden" for="search-q">
          Words to search
        </label>
        <input type="search" id="search-q" name="q" value={query.q ?? ''} maxlength={200} placeholder="e.g. diffusion transformer" />
        <button type="submit">Search</button>
      </div>
      <fieldset>
        <legend>Filters</legend>
        <label>
          From
          <input type="date" name="from" value={query.from ?? ''} />
        </label>
        <label>
          To
          <input type="date" name="to" value={query.to ?? ''} />
        </label>
        <label>
          Topic
          <select name="tag">
            <option value="">Any topic</option>
            {TAXONOMY.map((tag) => (
              <option value={tagSlug(tag)} selected={query.tag === tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <input type="text" name="category" value={query.category ?? ''} placeholder="cs.LG" size={8} />
        </label>
        <label class="check">
          <input type="checkbox" name="code" value="1" checked={query.code === true} />
          Has code
        </label>
      </fieldset>
    </form>
  );
}

function Summary({ query, results }: { query: SearchQuery; results: SearchResults }) {
  const what = query.q ? <>for “{query.q}”</> : 'matching the filters';
  if (results.total === 0) return <p class="search-summary empty">No results {what}.</p>;
  const first = (results.page - 1) * results.perPage + 1;
  const last = first + results.hits.length - 1;
  return (
    <p class="search-summary">
      {formatCount(results.total)} {results.total === 1 ? 'result' : 'results'} {what}
      {results.hits.length > 0 ? `, ${formatCount(first)}–${formatCount(last)} shown` : ', none on this page'}.
      {results.ranked < results.total ? ` Ranked among the ${formatCount(results.ranked)} most recent; add a word or a date range to reach older papers.` : null}
    </p>
  );
}

export function SearchPage({ query, results }: { query: SearchQuery; results: SearchResults | null }) {
  const qs = searchQueryString({ ...query, page: 1 });
  const feeds = results && query.q ? feedLinks('/feeds/search', `papersift search: ${query.q || 'filters'}`, qs) : [];
  return (
    <Layout title={query.q ? `${query.q} — papersift search` : 'Search — papersift'} feeds={feeds} query={query.q}>
      <section class="search-page">
        <h1>Search papers</h1>
        <p class="tagline">Title, abstract, authors and summaries of every stored paper; best matches first.</p>
        <SearchForm query={query} />
        {results ? (
          <>
            <Summary query={query} results={results} />
            <ol class="search-results" start={(results.page - 1) * results.perPage + 1}>
              {results.hits.map((hit) => (
                <li class="search-hit" data-paper-id={hit.paper.id}>
                  <p class="card-meta">
                    <span class="category">{hit.paper.primaryCategory}</span>
                    {hit.announcedOn ? <time datetime={hit.announcedOn}>{formatShortDate(hit.announcedOn)}</time> : null}
                    <a href={hit.paper.links.abs}>arXiv:{hit.paper.id}</a>
                    {hit.paper.links.code ? (
                      <a class="badge-code" href={hit.paper.links.code}>
                        Code
                      </a>
                    ) : null}
                  </p>
                  <h2>
                    <a href={`/papers/${hit.paper.id}`}>
                      <Highlighted segments={hit.match.title} math />
                    </a>
                  </h2>
                  <p class="authors">
                    <Highlighted segments={hit.match.authors} />
                  </p>
                  <p class="snippet">
                    <Highlighted segments={hit.match.snippet} math />
                  </p>
                  {hit.paper.tags.length > 0 ? (
                    <ul class="tags" aria-label="Topics">
                      {hit.paper.tags.map((tag) => (
                        <li>
                          <a class="tag" href={`/search?tag=${tagSlug(tag)}`}>
                            {tag}
                          </a>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
            <Pagination page={results.page} pages={results.pages} href={(page) => `/search?${searchQueryString(query, { page })}`} label="Result pages" previous="Previous page" next="Next page" />
            <SubscribeLinks feeds={feeds} label="Subscribe to this search" />
            {results.hits.length > 0 ? <ExportLinks path="/api/v1/search/citation" query={searchQueryString(query)} label="Export the papers of this page" /> : null}
          </>
        ) : (
          <p class="empty">Type a few words, or pick a filter, to search the stored papers.</p>
        )}
      </section>
    </Layout>
  );
}

export function SearchErrorPage({ message }: { message: string }) {
  return (
    <Layout title="Search — papersift">
      <section class="search-page">
        <h1>Search papers</h1>
        <p class="search-error" role="alert">
          That search could not run: {message}
        </p>
        <SearchForm query={{}} />
      </section>
    </Layout>
  );
}
