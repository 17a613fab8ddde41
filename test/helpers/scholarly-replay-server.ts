import http from 'node:http';
import { listenOnLoopback } from './loopback.ts';
import type { RecordedExchange } from './cassettes.ts';

/**
 * A local HTTP server that speaks like Semantic Scholar's Graph API and OpenAlex, answering from
 * recorded or documented-format data:
 * - POST /graph/v1/paper/batch, /graph/v1/author/batch: a recorded exchange with the same ids, else
 *   one entry per id from `s2Papers` (keyed by arXiv id) / `s2Authors`, null when unknown; more ids
 *   than S2 allows → 400, as S2 answers;
 * - GET /graph/v1/author/:id/papers: a recorded exchange for that path and offset, else 404;
 * - GET /openalex/works?filter=doi:a|b, /openalex/authors?filter=openalex:A|B: list results.
 * Faults (429 / 503, with or without Retry-After) can be queued per service.
 */
export interface ScholarlyData {
  s2Papers?: Record<string, unknown>;
  s2Authors?: Record<string, unknown>;
  recorded?: RecordedExchange[];
  openAlexWorks?: Record<string, unknown>;
  openAlexAuthors?: Record<string, unknown>;
}

export type ScholarlyService = 's2' | 'openalex';
export interface ScholarlyFault {
  status: 429 | 500 | 503;
  retryAfter?: string;
}

export interface ScholarlyRequest {
  service: ScholarlyService;
  method: string;
  url: URL;
  body: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface ScholarlyServer {
  s2Url: string;
  openAlexUrl: string;
  requests: ScholarlyRequest[];
  queueFault(service: ScholarlyService, fault: ScholarlyFault): void;
  close(): Promise<void>;
}

const S2_LIMITS: Record<string, number> = { paper: 500, author: 1000 };

function sameIds(recordedBody: string, ids: string[]): boolean {
  try {
    const recorded = (JSON.parse(recordedBody) as { ids?: string[] }).ids ?? [];
    return recorded.length === ids.length && recorded.every((id, i) => id === ids[i]);
  } catch {
    return false;
  }
}

export async function startScholarlyServer(data: ScholarlyData): Promise<ScholarlyServer> {
  const requests: ScholarlyRequest[] = [];
  const faults: Record<ScholarlyService, ScholarlyFault[]> = { s2: [], openalex: [] };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const service: ScholarlyService = url.pathname.startsWith('/openalex/') ? 'openalex' : 's2';
      requests.push({ service, method: req.method ?? 'GET', url, body, headers: req.headers, at: Date.now() });
      const send = (status: number, payload: string) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) });
        res.end(payload);
      };
      const fault = faults[service].shift();
      if (fault) {
        res.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}) });
        res.end(JSON.stringify({ message: 'Too Many Requests. Please wait and try again or apply for a key for higher rate limits.', code: String(fault.status) }));
        return;
      }
      const batch = /^\/graph\/v1\/(paper|author)\/batch$/.exec(url.pathname);
      if (batch && req.method === 'POST') {
        const ids = (JSON.parse(body || '{}') as { ids?: string[] }).ids ?? [];
        if (ids.length > S2_LIMITS[batch[1]!]!) return send(400, JSON.stringify({ error: `-ids: array size must be <= ${S2_LIMITS[batch[1]!]}` }));
        const recorded = data.recorded?.find((r) => r.method === 'POST' && new URL(r.uri).pathname === url.pathname && sameIds(r.requestBody, ids));
        if (recorded) return send(recorded.status, recorded.body);
        const table = batch[1] === 'paper' ? (data.s2Papers ?? {}) : (data.s2Authors ?? {});
        return send(200, JSON.stringify(ids.map((id) => table[id.replace(/^ARXIV:/, '')] ?? null)));
      }
      if (url.pathname.startsWith('/graph/v1/') && req.method === 'GET') {
        const recorded = data.recorded?.find((r) => {
          const u = new URL(r.uri);
          return r.method === 'GET' && u.pathname === url.pathname && (u.searchParams.get('offset') ?? '0') === (url.searchParams.get('offset') ?? '0');
        });
        if (recorded) return send(recorded.status, recorded.body);
        return send(404, JSON.stringify({ error: `${url.pathname} not found` }));
      }
      const list = /^\/openalex\/(works|authors)$/.exec(url.pathname);
      if (list) {
        const filter = url.searchParams.get('filter') ?? '';
        const [field, values = ''] = filter.split(/:(.*)/s);
        const wanted = values.split('|').filter(Boolean);
        if (wanted.length > 100 || Number(url.searchParams.get('per-page') ?? 25) > 200) return send(400, JSON.stringify({ error: 'Invalid query parameters error.' }));
        const table = list[1] === 'works' ? (data.openAlexWorks ?? {}) : (data.openAlexAuthors ?? {});
        const results = Object.entries(table)
          .filter(([key]) => (field === 'doi' ? wanted.includes(`10.48550/arxiv.${key}`.toLowerCase()) : field === 'openalex' && wanted.includes(key)))
          .map(([, value]) => value);
        return send(200, JSON.stringify({ meta: { count: results.length, db_response_time_ms: 12, page: 1, per_page: 50 }, results, group_by: [] }));
      }
      send(404, JSON.stringify({ error: 'not found' }));
    });
  });
  const { base, close } = await listenOnLoopback(server);
  return {
    s2Url: `${base}/graph/v1`,
    openAlexUrl: `${base}/openalex`,
    requests,
    queueFault: (service, fault) => faults[service].push(fault),
    close,
  };
}
