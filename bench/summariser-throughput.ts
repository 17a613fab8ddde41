import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { toDisplayText } from '../src/arxiv/text.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import { InsufficientSourceTextError } from '../src/summarize/engine.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import { shortenSentence, splitSentences } from '../src/summarize/sentences.ts';
import { ratioTo, type BenchResult } from './types.ts';

/**
 * Offline summaries per second over the bundled snapshot, on one core. The baseline is the cheapest
 * extractive summary of the same text: the same sentence splitter, the first sentence as TL;DR and
 * the next four as highlights, shortened the same way. The ratio is what roles, tags and sentence
 * choice cost on top of reading and splitting.
 */
export async function benchOfflineSummariser(): Promise<BenchResult[]> {
  const papers = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map(({ record }) => record);
  const inputs = papers.map((r) => ({ id: r.id, version: r.version, title: toDisplayText(r.title), abstract: toDisplayText(r.abstract), categories: r.categories, comment: r.comment }));
  const engine = createOfflineEngine();
  const lead = () => {
    let chars = 0;
    for (const input of inputs) for (const sentence of splitSentences(input.abstract).slice(0, 5)) chars += shortenSentence(sentence).length;
    return chars;
  };
  lead(); // warm-up, as the engine's first papers below warm it
  const leadStart = performance.now();
  lead();
  const leadMs = performance.now() - leadStart;

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
  const leadRate = Math.round(inputs.length / (leadMs / 1000));
  const rate = Math.round(inputs.length / (ms / 1000));
  return [
    { name: 'summarise: split + lead sentences (baseline)', value: leadRate, unit: 'papers/s', note: `${inputs.length} snapshot papers, ${leadMs.toFixed(0)} ms` },
    {
      name: 'offline summariser',
      value: rate,
      unit: 'papers/s',
      note: `${inputs.length} snapshot papers (${skipped} skipped: too little text), ${ms.toFixed(0)} ms; target ≥ 500`,
      ratio: ratioTo(rate, leadRate, 'lead baseline'),
    },
  ];
}
