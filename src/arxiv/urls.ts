/** Request URLs of arXiv's three sources, built in one place so tests can point them at a local server. */

/** rss.arxiv.org takes several categories joined by "+": one request covers every followed category. */
export function announcementFeedUrl(rssUrl: string, categories: string[]): string {
  return `${rssUrl.replace(/\/+$/, '')}/${categories.join('+')}`;
}

export function apiIdListUrl(apiUrl: string, ids: string[]): string {
  const url = new URL(apiUrl);
  url.searchParams.set('id_list', ids.join(','));
  url.searchParams.set('max_results', String(ids.length));
  return url.toString();
}

function compactDate(date: string, endOfDay: boolean): string {
  return `${date.replaceAll('-', '')}${endOfDay ? '2359' : '0000'}`;
}

/** A page of papers submitted in [from, to] (dates, inclusive) in any of the categories, oldest first. */
export function apiDateRangeUrl(apiUrl: string, query: { categories: string[]; from: string; to: string; start: number; pageSize: number }): string {
  const url = new URL(apiUrl);
  const categories = query.categories.map((c) => `cat:${c}`).join(' OR ');
  url.searchParams.set('search_query', `(${categories}) AND submittedDate:[${compactDate(query.from, false)} TO ${compactDate(query.to, true)}]`);
  url.searchParams.set('sortBy', 'submittedDate');
  url.searchParams.set('sortOrder', 'ascending');
  url.searchParams.set('start', String(query.start));
  url.searchParams.set('max_results', String(query.pageSize));
  return url.toString();
}

/** OAI-PMH set of an arXiv category: cs.LG → cs:cs:LG, stat.ML → stat:stat:ML, quant-ph → physics:quant-ph. */
export function oaiSetOf(category: string): string {
  const [archive, subject] = category.split('.');
  if (subject === undefined) return `physics:${archive}`;
  const group = ['astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph'].includes(archive!)
    ? 'physics'
    : archive!;
  return `${group}:${archive}:${subject}`;
}

export function oaiListRecordsUrl(oaiUrl: string, request: { set: string; from: string; until: string } | { resumptionToken: string }): string {
  const url = new URL(oaiUrl);
  url.searchParams.set('verb', 'ListRecords');
  if ('resumptionToken' in request) {
    url.searchParams.set('resumptionToken', request.resumptionToken);
  } else {
    url.searchParams.set('metadataPrefix', 'arXivRaw');
    url.searchParams.set('set', request.set);
    url.searchParams.set('from', request.from);
    url.searchParams.set('until', request.until);
  }
  return url.toString();
}
