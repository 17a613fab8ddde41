import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { DEFAULT_SNAPSHOT_PATH, PROJECT_ROOT } from '../src/config/config.ts';
import { scorePendingPapers } from '../src/score/score-papers.ts';
import { refreshDigests } from '../src/select/refresh-digests.ts';
import { openStore } from '../src/store/store.ts';
import { storeAnnouncedPapers } from '../src/store/papers.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import { summarizePendingPapers } from '../src/summarize/summarize-pending.ts';
import { generatePaperDays, weekdaysBefore } from './score-select.ts';

export interface WebBenchStore {
  file: string;
  /** Papers of the store the paper-page load cycles through. */
  paperIds: string[];
  /** Queries the search load cycles through: words of real titles. */
  queries: string[];
  /** True when the file was built in this run (not timed; the next run reuses it). */
  built: boolean;
}

export const WEB_BENCH_DIR = path.join(os.tmpdir(), 'papersift-bench');

/**
 * A store of `corpus` papers shaped like the bundled snapshot's (the score+select bench's generator),
 * with the latest `summarisedDays` mailing days summarised, scored and selected as a real pass
 * would, and every paper in the search index. Building it takes about a minute, so the file is kept
 * under the OS temp dir, named by corpus size and the list of migrations: a schema change builds a
 * new one, a rerun reuses it.
 */
export async function prepareWebBenchStore(corpus = 100_000, perDay = 2000, summarisedDays = 3): Promise<WebBenchStore> {
  const migrations = fs.readdirSync(path.join(PROJECT_ROOT, 'src/store/migrations')).filter((f) => /^\d{4}-/.test(f));
  const key = `web-${corpus}-${perDay}-${summarisedDays}-m${migrations.length}-${migrations.at(-1)!.slice(0, 4)}`;
  fs.mkdirSync(WEB_BENCH_DIR, { recursive: true });
  const file = path.join(WEB_BENCH_DIR, `${key}.db`);
  const readyFile = path.join(WEB_BENCH_DIR, `${key}.json`);
  if (fs.existsSync(file) && fs.existsSync(readyFile)) {
    const ready = JSON.parse(fs.readFileSync(readyFile, 'utf8')) as Omit<WebBenchStore, 'file' | 'built'>;
    return { file, ...ready, built: false };
  }
  for (const stale of [file, `${file}-wal`, `${file}-shm`, readyFile]) fs.rmSync(stale, { force: true });

  const templates = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map((p) => p.record);
  const days = weekdaysBefore('2026-06-26', Math.ceil(corpus / perDay));
  const papers = [...generatePaperDays(templates, days, perDay)].flat().slice(-corpus);
  const recent = new Set(days.slice(-summarisedDays));
  const store = await openStore({ dialect: 'sqlite', file });
  try {
    for (let i = 0; i < papers.length; i += 2000) await storeAnnouncedPapers(store.db, papers.slice(i, i + 2000), 'bench');
    // Older days stay unsummarised and unscored (as after a backfill); the digest days are complete.
    await store.db.updateTable('papers').set({ summary_status: 'skipped' }).where('first_announced_on', 'not in', [...recent]).execute();
    await summarizePendingPapers(store, createOfflineEngine());
    await scorePendingPapers(store, { days: [...recent] });
    await refreshDigests(store, { digestSize: 50, historyDays: summarisedDays, categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'], maxTagShare: 0.4 });
    await store.searchIndex.refresh();
  } finally {
    await store.close();
  }
  // Paper pages of every age, and queries of one or two real title words (common and rare ones).
  const step = Math.floor(papers.length / 2000);
  const paperIds = papers.filter((_, i) => i % step === 0).map((p) => p.record.id);
  const words = templates.flatMap((t) => t.title.toLowerCase().match(/[a-z]{5,}/g) ?? []);
  const queries = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `${words[(i * 7919) % words.length]} ${words[(i * 104729) % words.length]}` : words[(i * 7919) % words.length]!));
  const ready = { paperIds, queries };
  fs.writeFileSync(readyFile, JSON.stringify(ready));
  return { file, ...ready, built: true };
}
