/**
 * Personal ranking (issue 18): one announcement day of 2,000 papers ranked for 1,000 readers, each with
 * their own library, feedback, follows and keyword rules, against ranking it for one reader. The day is
 * prepared once (features, inverted index); each reader's ranking is then similarity walks, a small
 * logistic regression and sparse dot products. Target: 1,000 readers under 60 s of one core, memory
 * bounded (each reader's ranking is dropped once its top picks are kept, as a daily pass would store them).
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import type { PaperRecord } from '../src/domain/paper.ts';
import { seededRandom } from '../src/seeded-random.ts';
import { PreparedDay } from '../src/select/personal/prepared-day.ts';
import { rankForReader } from '../src/select/personal/rank.ts';
import type { CandidatePaper, ReaderProfile } from '../src/select/personal/types.ts';
import { generatePaperDays, weekdaysBefore } from './score-select.ts';
import { ratioTo, type BenchResult } from './types.ts';

const KEYWORDS = ['diffusion', 'reinforcement learning', 'graph neural', 'language model', 'benchmark', 'robot', 'privacy', 'federated', 'vision transformer', 'causal'];

const candidateOf = (record: PaperRecord): CandidatePaper => ({
  id: record.id,
  title: record.title,
  abstract: record.abstract,
  authors: record.authors.map((a) => ({ name: a.name, key: a.name })),
  categories: record.categories,
});

/**
 * Readers shaped like real ones: a library of 20 to 300 papers (mean 160) mostly from one or two
 * categories of the bundled snapshot's real papers, 10 saves and 10 "not interested", three followed
 * authors, one followed category, an include and an exclude rule.
 */
function makeReaders(papers: readonly PaperRecord[], count: number): ReaderProfile[] {
  const random = seededRandom(1818);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const byCategory = new Map<string, PaperRecord[]>();
  for (const p of papers) byCategory.set(p.categories[0]!, [...(byCategory.get(p.categories[0]!) ?? []), p]);
  const categories = [...byCategory.keys()].filter((c) => byCategory.get(c)!.length >= 20);
  return Array.from({ length: count }, () => {
    const interests = [pick(categories), pick(categories)];
    const size = 20 + Math.floor(random() * 281);
    const library = Array.from({ length: size }, (_, i) => {
      const p = random() < 0.8 ? pick(byCategory.get(pick(interests))!) : pick(papers);
      return { id: p.id, title: p.title, abstract: p.abstract, added: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() };
    });
    const seen = new Set<string>();
    const unique = library.filter((p) => !seen.has(p.id) && seen.add(p.id));
    return {
      library: unique,
      feedback: [
        ...Array.from({ length: 10 }, () => ({ signal: 'save' as const, paper: pick(byCategory.get(interests[0]!)!) })),
        ...Array.from({ length: 10 }, () => ({ signal: 'not-interested' as const, paper: pick(papers) })),
      ].map(({ signal, paper }) => ({ signal, paper: { id: paper.id, title: paper.title, abstract: paper.abstract } })),
      follows: {
        authors: Array.from({ length: 3 }, () => {
          const name = pick(pick(papers).authors).name;
          return { key: name, name };
        }),
        categories: [interests[0]!],
      },
      keywords: { include: [pick(KEYWORDS)], exclude: [pick(KEYWORDS)] },
    };
  });
}

export async function benchPersonalRanking(readerCount = 1000, dayPapers = 2000): Promise<BenchResult[]> {
  const templates = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map((p) => p.record);
  const [day] = [...generatePaperDays(templates, weekdaysBefore('2026-06-26', 1), dayPapers)];
  const candidates = day!.map((p) => candidateOf(p.record));
  const readers = makeReaders(templates, readerCount);
  const libraryMean = readers.reduce((sum, r) => sum + r.library.length, 0) / readers.length;

  const cpuSeconds = (start: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  // Warm-up on a throw-away day, so neither side is measured while V8 compiles.
  const warm = new PreparedDay(candidates.slice(0, 200));
  for (const reader of readers.slice(0, 20)) rankForReader(warm, reader);

  const prepareStart = process.cpuUsage();
  const prepared = new PreparedDay(candidates);
  const prepareS = cpuSeconds(prepareStart);

  // One reader (the baseline): the median of 15 single rankings of the same day (the day's vector cache warm,
  // as it is for most library papers once a few readers have been ranked).
  const singles: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const start = process.cpuUsage();
    rankForReader(prepared, readers[i]!);
    singles.push(cpuSeconds(start));
  }
  const oneS = singles.sort((a, b) => a - b)[7]!;

  // A full collection before and after: the heap's growth is what the run kept, not garbage not yet collected.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const allStart = process.cpuUsage();
  const wallStart = performance.now();
  const kept: string[][] = [];
  let ranked = 0;
  for (const reader of readers) {
    const picks = rankForReader(prepared, reader);
    ranked += picks.length;
    kept.push(picks.slice(0, 50).map((p) => p.id));
  }
  const allS = cpuSeconds(allStart);
  const wallS = (performance.now() - wallStart) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  if (kept.length !== readerCount) throw new Error('bench lost readers');

  return [
    {
      name: `personal: prepare one day of ${dayPapers} papers`,
      value: Number(prepareS.toFixed(2)),
      unit: 's',
      note: `features and inverted index over ${prepared.space.size.toLocaleString('en-US')} terms, once per day (CPU time, one core)`,
    },
    {
      name: 'personal: rank the day for one reader (baseline)',
      value: Number((oneS * 1000).toFixed(1)),
      unit: 'ms',
      note: `median of 15 readers; libraries of 20-300 papers (mean ${libraryMean.toFixed(0)}), 10 saves, 10 not interested, follows and keyword rules`,
    },
    {
      name: `personal: rank the day for ${readerCount.toLocaleString('en-US')} readers (CPU time, one core)`,
      value: Number(allS.toFixed(2)),
      unit: 's',
      note: `${ranked.toLocaleString('en-US')} picks with reasons; wall ${wallS.toFixed(1)} s at load average ${os.loadavg()[0]!.toFixed(1)}; target < 60 s`,
      ratio: ratioTo(allS, oneS, 'one reader'),
    },
    {
      name: 'personal: memory while ranking',
      value: Math.round(maxRssMb),
      unit: 'MB peak RSS',
      note: `heap ${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)} MB larger after ${readerCount.toLocaleString('en-US')} readers (their top 50 ids kept, every ranking dropped)`,
    },
  ];
}
