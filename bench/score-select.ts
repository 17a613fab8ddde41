import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import type { AnnouncedPaper, PaperRecord } from '../src/domain/paper.ts';
import { scorePendingPapers } from '../src/score/score-papers.ts';
import { refreshDigests } from '../src/select/refresh-digests.ts';
import { openStore } from '../src/store/store.ts';
import { storeAnnouncedPapers } from '../src/store/papers.ts';
import { seededRandom } from '../src/seeded-random.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import { summarizePendingPapers } from '../src/summarize/summarize-pending.ts';
import { ratioTo, type BenchResult } from './types.ts';

/** Mailing days (Monday-Friday) counting back from `last`, oldest first. */
export function weekdaysBefore(last: string, count: number): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${last}T00:00:00Z`); days.length < count; t -= 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days.reverse();
}

/**
 * Papers shaped like the real ones of the bundled snapshot (authors, categories, comments, abstract
 * lengths), each with its own text: an abstract of sentences drawn from several real abstracts and a
 * real title with some words taken from another, so the vocabulary is real but no two papers repeat.
 * Yields one mailing day at a time, so a million papers never have to be held at once.
 */
export function* generatePaperDays(templates: readonly PaperRecord[], days: readonly string[], perDay: number): Generator<AnnouncedPaper[]> {
  const random = seededRandom(20260601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentences = templates.flatMap((r) => r.abstract.split(/(?<=[.!?])\s+(?=[A-Z])/));
  const titleWords = templates.flatMap((r) => r.title.split(/\s+/));
  const numbered = new Map<string, number>();
  for (const day of days) {
    const month = day.slice(2, 4) + day.slice(5, 7);
    const papers: AnnouncedPaper[] = [];
    for (let i = 0; i < perDay; i += 1) {
      const template = pick(templates);
      const n = 4 + Math.floor(random() * 5);
      const abstract = Array.from({ length: n }, () => pick(sentences)).join(' ');
      const title = template.title
        .split(/\s+/)
        .map((w) => (random() < 0.3 ? pick(titleWords) : w))
        .join(' ');
      const serial = numbered.get(month) ?? 0;
      numbered.set(month, serial + 1);
      const id = `${month}.${String(serial).padStart(5, '0')}`;
      const published = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000 + i * 30_000).toISOString();
      papers.push({
        announcedOn: day,
        announceType: i % 7 === 0 ? 'cross' : 'new',
        record: { ...template, id, version: 1, title, abstract, published, updated: published, versions: undefined },
      });
    }
    yield papers;
  }
}

/**
 * Scoring and selecting one announcement day of `dayPapers` papers against a store of `corpus`
 * earlier ones: the scoring stage (text index over the whole store, k nearest earlier papers,
 * calibration against the previous 30 days, AI Score) plus that day's selection. The baseline is
 * reading the same titles and abstracts from SQLite, the floor of any retrieval over the store.
 */
export async function benchScoreAndSelect(corpus = 100_000, dayPapers = 2000): Promise<BenchResult[]> {
  const templates = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map((p) => p.record);
  const days = weekdaysBefore('2026-06-26', Math.ceil(corpus / dayPapers) + 1);
  const today = days.at(-1)!;
  const papers = [...generatePaperDays(templates, days, dayPapers)].flat().slice(-(corpus + dayPapers));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-bench-score-'));
  const store = await openStore({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    for (let i = 0; i < papers.length; i += 2000) await storeAnnouncedPapers(store.db, papers.slice(i, i + 2000), 'bench');
    // Only the day is summarised (selection needs its tags); the corpus only has to be there.
    await store.db.updateTable('papers').set({ summary_status: 'skipped' }).where('first_announced_on', '<>', today).execute();
    await summarizePendingPapers(store, createOfflineEngine());

    const readStart = performance.now();
    const texts = await store.db.selectFrom('papers').select(['id', 'title', 'abstract', 'published_at']).execute();
    const readMs = performance.now() - readStart;

    // CPU time is the one-core figure (everything runs on the main thread); wall time also counts
    // waiting for a CPU on a shared machine.
    const cpuStart = process.cpuUsage();
    const scoreStart = performance.now();
    const scored = await scorePendingPapers(store, { days: [today] });
    const scoreMs = performance.now() - scoreStart;
    const selectStart = performance.now();
    const picked = await refreshDigests(store, { digestSize: 50, historyDays: 1, categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'], maxTagShare: 0.4 });
    const selectMs = performance.now() - selectStart;
    const cpu = process.cpuUsage(cpuStart);
    if (scored.scored !== dayPapers) throw new Error(`bench scored ${scored.scored} papers, expected ${dayPapers}`);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const wallS = (scoreMs + selectMs) / 1000;
    return [
      { name: 'score: read titles + abstracts (baseline)', value: Math.round(texts.length / (readMs / 1000)), unit: 'papers/s', note: `${texts.length} papers from SQLite, ${readMs.toFixed(0)} ms` },
      {
        name: 'score + select one day (CPU time, one core)',
        value: Number(cpuS.toFixed(2)),
        unit: 's',
        note: `${dayPapers} papers against ${corpus} earlier ones, ${picked.get(today)} picked; target < 10 s on one core`,
        ratio: ratioTo(cpuS * 1000, readMs, 'the read'),
      },
      {
        name: 'score + select one day (wall time)',
        value: Number(wallS.toFixed(2)),
        unit: 's',
        note: `scoring ${scoreMs.toFixed(0)} ms, selection ${selectMs.toFixed(0)} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
        ratio: ratioTo(wallS * 1000, readMs, 'the read'),
      },
    ];
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
