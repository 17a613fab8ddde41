/**
 * A real HTTP server on 127.0.0.1 for client tests: each test scripts the answers, and the server
 * records what arrived (path, headers, arrival time on the monotonic clock) and the most requests it
 * ever had in flight at once.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export type ScriptedHandler = (req: IncomingMessage, res: ServerResponse, received: ReceivedRequest) => void | Promise<void>;

export interface ScriptedServer {
  baseUrl: string;
  received: ReceivedRequest[];
  /** Requests to one path, in arrival order. */
  receivedFor(path: string): ReceivedRequest[];
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startScriptedServer(handler: ScriptedHandler): Promise<ScriptedServer> {
  const received: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const request: ReceivedRequest = { path: req.url ?? '', headers: req.headers, at: performance.now() };
    received.push(request);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'close' fires both after a complete response and after the socket was destroyed.
    res.on('close', () => {
      inFlight -= 1;
    });
    void Promise.resolve(handler(req, res, request)).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    receivedFor: (path) => received.filter((request) => request.path === path),
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging and kept-alive sockets would otherwise keep the server (and the test) open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Gaps between consecutive arrival times. */
export function gapsBetween(times: number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}
