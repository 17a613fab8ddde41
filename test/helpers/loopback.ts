import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free loopback port; `close` also ends kept-alive connections so tests finish at once. */
export async function listenOnLoopback(server: http.Server): Promise<{ base: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
