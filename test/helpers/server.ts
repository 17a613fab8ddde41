import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { runFullPass } from '../../src/pipeline/run-pass.ts';
import { startWebServer, type RunningServer } from '../../src/web/server.ts';
import { createTestContext, makeTempDir } from './context.ts';
import { samplePapers, writeSnapshotFile } from './snapshot.ts';

/** A paper whose text tries to inject markup and script; it must show literally everywhere. */
export const HOSTILE_PAPER: AnnouncedPaper = {
  announcedOn: '2026-06-26',
  announceType: 'new',
  record: {
    id: '2606.99001',
    version: 1,
    title: 'Attention <script>alert("title")</script> Is <img src=x onerror=alert(1)> All You Need',
    abstract:
      'We propose <b onmouseover=alert(2)>EvilNet</b>, a transformer that reaches 91.2% accuracy on ImageNet. ' +
      'The method uses a "</p><script>alert(3)</script>" trick in its attention layers. ' +
      'Experiments show it outperforms baselines by 4.1 points on three benchmarks. ' +
      'These results suggest that escaping matters for every web page that shows research abstracts. ' +
      // Math mixed with markup: once typeset by KaTeX, once shown as written (an unknown command).
      'Its loss $\\mathcal{L}_{<img src=x onerror=alert(5)>}$ falls, and $\\evil <script>alert(6)</script>$ stays text.',
    authors: [{ name: 'Mallory <svg onload=alert(4)>', affiliations: [] }, { name: "O'Brien & Sons", affiliations: [] }],
    categories: ['cs.LG', 'cs.CV'],
    comment: 'Code: https://github.com/example/evilnet',
    journalRef: null,
    doi: null,
    license: null,
    published: '2026-06-26',
    updated: '2026-06-26',
  },
};

/** A real server on loopback over a real SQLite store, filled by the real pipeline. */
export async function startPreparedServer(perDay = 70, env: Record<string, string> = {}, extra: AnnouncedPaper[] = []): Promise<{ server: RunningServer; ctx: Awaited<ReturnType<typeof createTestContext>>; close: () => Promise<void> }> {
  const snapshotDir = makeTempDir();
  const snapshot = writeSnapshotFile(snapshotDir.dir, [...(await samplePapers(perDay)), ...extra, HOSTILE_PAPER]);
  const ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: snapshot, ...env });
  await runFullPass(ctx);
  const server = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
  return {
    server,
    ctx,
    close: async () => {
      await server.close();
      await ctx.close();
      snapshotDir.cleanup();
    },
  };
}
