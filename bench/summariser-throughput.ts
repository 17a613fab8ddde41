import os from 'node:os';
import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { toDisplayText } from '../src/arxiv/text.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import { InsufficientSourceTextError } from '../src/summarize/engine.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import { shortenSentence, splitSentences } from '../src/summarize/sentences.ts';
import { ratioTo, type BenchResult } from './types.ts';

/** CPU seconds of this process (user + system) spent in `run`: one core's work, whatever else the machine runs. */
async function cpuSeconds(run: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Offline summaries per second over the bundled snapshot, on one core. The baseline is the cheapest
 * extractive summary of the same text: the same sentence splitter, the first sentence as TL;DR and
 * the next four as highlights, shortened the same way. The ratio is what roles, tags and sentence
 * choice cost on top of reading and splitting.
 *
 * Both are measured in CPU time (the target is papers/s on one core, and everything runs on the main
 * thread), the fastest of PASSES warm passes: on a shared machine wall time also counts the waits for
 * a core (at load average 20 on 2 cores the wall-time figure fell to a tenth), and CPU time still
 * rises somewhat with contention for caches, so the fastest pass is the fairest.
 */
const PASSES = 3;

export async function benchOfflineSummariser(): Promise<BenchResult[]> {
  const papers = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map(({ record }) => record);
  const inputs = papers.map((r) => ({ id: r.id, version: r.version, title: toDisplayText(r.title), abstract: toDisplayText(r.abstract), categories: r.categories, comment: r.comment }));
  const engine = createOfflineEngine();
  const lead = () => {
    let chars = 0;
    for (const input of inputs) for (const sentence of splitSentences(input.abstract).slice(0, 5)) chars += shortenSentence(sentence).length;
    return chars;
  };
  let skipped = 0;
  const summarise = async () => {
    skipped = 0;
    for (const input of inputs) {
      try {
        await engine.summarize(input);
      } catch (error) {
        if (!(error instanceof InsufficientSourceTextError)) throw error;
        skipped += 1;
      }
    }
  };
  lead(); // warm-up pass of each, so neither is measured while V8 is still compiling it
  await summarise();
  let leadS = Infinity;
  let engineS = Infinity;
  for (let pass = 0; pass < PASSES; pass++) {
    leadS = Math.min(leadS, await cpuSeconds(lead));
    engineS = Math.min(engineS, await cpuSeconds(summarise));
  }
  const leadRate = Math.round(inputs.length / leadS);
  const rate = Math.round(inputs.length / engineS);
  const load = `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
  return [
    { name: 'summarise: split + lead sentences (baseline)', value: leadRate, unit: 'papers/s', note: `${inputs.length} snapshot papers, ${(leadS * 1000).toFixed(0)} ms CPU, fastest of ${PASSES} passes` },
    {
      name: 'offline summariser',
      value: rate,
      unit: 'papers/s',
      note: `${inputs.length} snapshot papers (${skipped} skipped: too little text), ${(engineS * 1000).toFixed(0)} ms CPU, fastest of ${PASSES} passes; ${load}; target ≥ 500 on one core`,
      ratio: ratioTo(rate, leadRate, 'lead baseline'),
    },
  ];
}
