import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { toDisplayText } from '../src/arxiv/text.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import { InsufficientSourceTextError } from '../src/summarize/engine.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import type { BenchResult } from './types.ts';

/** Offline summaries per second over the bundled snapshot; the baseline is reading the same text (display normalisation). */
export async function benchOfflineSummariser(): Promise<BenchResult[]> {
  const papers = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map(({ record }) => record);
  const inputs = papers.map((r) => ({ id: r.id, version: r.version, title: toDisplayText(r.title), abstract: toDisplayText(r.abstract), categories: r.categories, comment: r.comment }));
  const engine = createOfflineEngine();
  let skipped = 0;
  const start = performance.now();
  for (const input of inputs) {
    try {
      await engine.summarize(input);
    } catch (error) {
      if (!(error instanceof InsufficientSourceTextError)) throw error;
      skipped += 1;
    }
  }
  const ms = performance.now() - start;
  return [{ name: 'offline summariser', value: Math.round(inputs.length / (ms / 1000)), unit: 'papers/s', note: `${inputs.length} snapshot papers (${skipped} skipped: too little text), ${ms.toFixed(0)} ms; target ≥ 500` }];
}
