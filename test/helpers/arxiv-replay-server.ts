import fs from 'node:fs';
import http from 'node:http';
import { listenOnLoopback } from './loopback.ts';
import path from 'node:path';
import { RECORDED_FIXTURES } from './context.ts';

/**
 * A local HTTP server that speaks like arXiv's three services, replaying recorded responses:
 * - GET /atom/<cats>: an announcement feed (ETag / If-None-Match supported);
 * - GET /api/query?id_list=…: the recorded API entries with those ids, in a real Atom feed frame;
 * - GET /api/query?search_query=…&start=&max_results=: pages over the recorded entries, in order;
 * - GET /oai?verb=ListRecords…: OAI-PMH pages, following resumption tokens.
 * Faults (429/503 with Retry-After, truncated bodies) can be queued per service.
 */

export const API_PAGES = ['arxiv_raw_0.xml', 'arxiv_raw_100.xml', 'arxiv_raw_200.xml', 'arxiv_raw_300.xml'].map((f) => path.join(RECORDED_FIXTURES, 'arxiv-api', f));

/** The <entry> elements of recorded arXiv API pages, verbatim, keyed by arXiv id (no version). */
export function recordedApiEntries(files: string[] = API_PAGES): Map<string, string> {
  const entries = new Map<string, string>();
  for (const file of files) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/<entry>[\s\S]*?<\/entry>/g)) {
      const id = /<id>https?:\/\/arxiv\.org\/abs\/([^<]+?)(v\d+)?<\/id>/.exec(match[0])![1]!;
      entries.set(id, match[0]);
    }
  }
  return entries;
}

export function apiFeed(entries: string[], total: number, start: number, pageSize: number): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/replay</id>
  <title>arXiv Query: replay</title>
  <updated>2025-12-16T13:50:15Z</updated>
  <opensearch:itemsPerPage>${pageSize}</opensearch:itemsPerPage>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
  ${entries.join('\n  ')}
</feed>
`;
}

export type Fault = { status: 429 | 500 | 502 | 503; retryAfter?: string } | { truncate: true };
type Service = 'rss' | 'api' | 'oai';

export interface ReplayServerOptions {
  feed?: string;
  feedEtag?: string;
  apiEntries?: Map<string, string>;
  /** OAI pages in order; each page's resumptionToken must be the token the next request carries. */
  oaiPages?: string[];
  /** Called on every request before it is answered, with the running request count. */
  onRequest?: (count: number, url: URL) => void | Promise<void>;
}

export interface ReplayServer {
  url: string;
  rssUrl: string;
  apiUrl: string;
  oaiUrl: string;
  requests: URL[];
  queueFault(service: Service, fault: Fault): void;
  close(): Promise<void>;
}

export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const requests: URL[] = [];
  const faults: Record<Service, Fault[]> = { rss: [], api: [], oai: [] };
  const entries = options.apiEntries ?? new Map<string, string>();
  const ordered = [...entries.values()];

  function answer(res: http.ServerResponse, service: Service, status: number, body: string, headers: Record<string, string> = {}): void {
    const fault = faults[service].shift();
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain', ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}) });
      res.end(`replayed ${fault.status}`);
      return;
    }
    const bytes = Buffer.from(body);
    res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(bytes.length), ...headers });
    if (fault && 'truncate' in fault) {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      res.destroy();
      return;
    }
    res.end(bytes);
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    await options.onRequest?.(requests.length, url);
    if (url.pathname.startsWith('/atom/')) {
      if (options.feedEtag && req.headers['if-none-match'] === options.feedEtag) {
        res.writeHead(304, { ETag: options.feedEtag });
        res.end();
        return;
      }
      answer(res, 'rss', 200, options.feed ?? '', options.feedEtag ? { ETag: options.feedEtag } : {});
    } else if (url.pathname === '/api/query') {
      const idList = url.searchParams.get('id_list');
      if (idList) {
        const found = idList.split(',').flatMap((id) => (entries.has(id) ? [entries.get(id)!] : []));
        answer(res, 'api', 200, apiFeed(found, found.length, 0, found.length));
      } else {
        const start = Number(url.searchParams.get('start') ?? 0);
        const size = Number(url.searchParams.get('max_results') ?? 10);
        answer(res, 'api', 200, apiFeed(ordered.slice(start, start + size), ordered.length, start, size));
      }
    } else if (url.pathname === '/oai') {
      const pages = options.oaiPages ?? [];
      const token = url.searchParams.get('resumptionToken');
      const index = token === null ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1]!.includes(`>${token}</resumptionToken>`));
      if (index < 0) {
        answer(res, 'oai', 200, `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-06-18T09:12:44Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request><error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error></OAI-PMH>`);
      } else answer(res, 'oai', 200, pages[index]!);
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  const { base, close } = await listenOnLoopback(server);
  return {
    url: base,
    rssUrl: `${base}/atom`,
    apiUrl: `${base}/api/query`,
    oaiUrl: `${base}/oai`,
    requests,
    queueFault: (service, fault) => faults[service].push(fault),
    close,
  };
}
