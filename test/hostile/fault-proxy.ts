/**
 * A real HTTP proxy on loopback in front of a replay server, that breaks chosen answers the way real
 * networks and overloaded services do: it hangs, resets the connection mid-body, drips the body
 * slowly, answers 429/503 (with Retry-After), or sends a body cut short under a Content-Length that
 * matches the cut (a "complete" HTTP answer whose content is truncated).
 */
import http from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';

export type Fault =
  | 'pass'
  | 'hang'
  /** Headers and half the body, then the socket is destroyed. */
  | 'reset'
  /** A 200 whose body is the first half of the real one, with a matching Content-Length. */
  | 'truncate'
  | { slowMs: number }
  | { status: 429 | 500 | 502 | 503; retryAfter?: string };

export interface FaultProxy {
  url: string;
  /** Requests seen, in order, with the fault each got. */
  log: Array<{ method: string; path: string; fault: Fault }>;
  close(): Promise<void>;
}

export function describeFault(fault: Fault): string {
  return typeof fault === 'string' ? fault : 'slowMs' in fault ? `slow ${fault.slowMs} ms` : `HTTP ${fault.status}`;
}

export async function startFaultProxy(upstreamAt: string | (() => string), decide: (n: number, req: { method: string; path: string; body: string }) => Fault): Promise<FaultProxy> {
  const log: FaultProxy['log'] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const fault = decide(log.length + 1, { method, path, body });
    log.push({ method, path, fault });
    if (fault === 'hang') return; // never answers; the client's timeout must end it
    if (typeof fault === 'object' && 'status' in fault) {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain', ...(fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter }) });
      res.end(`fault proxy: ${fault.status}`);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !['host', 'connection', 'content-length', 'accept-encoding'].includes(name)) headers[name] = value;
    // The upstream may be known only after the proxy (a server whose client is configured with the proxy's URL).
    const upstream = typeof upstreamAt === 'string' ? upstreamAt : upstreamAt();
    const answer = await fetch(upstream + path, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
    const bytes = Buffer.from(await answer.arrayBuffer());
    const type = answer.headers.get('content-type') ?? 'application/octet-stream';
    if (fault === 'truncate') {
      const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
      res.writeHead(answer.status, { 'Content-Type': type, 'Content-Length': String(cut.length) });
      res.end(cut);
      return;
    }
    res.writeHead(answer.status, { 'Content-Type': type, 'Content-Length': String(bytes.length) });
    if (fault === 'reset') {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      // Give the half a moment to leave, so the client sees a body cut mid-way, not a refused request.
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (typeof fault === 'object' && 'slowMs' in fault) {
      // The body in 10 pieces spread over slowMs.
      const piece = Math.ceil(bytes.length / 10);
      for (let i = 0; i < bytes.length; i += piece) {
        if (res.destroyed) return;
        res.write(bytes.subarray(i, i + piece));
        await new Promise((resolve) => setTimeout(resolve, fault.slowMs / 10));
      }
      res.end();
      return;
    }
    res.end(bytes);
  });
  const { base, close } = await listenOnLoopback(server);
  return { url: base, log, close };
}
