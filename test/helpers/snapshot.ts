import fs from 'node:fs';
import path from 'node:path';
import { readSnapshot, type SnapshotLine } from '../../src/arxiv/snapshot.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../../src/config/config.ts';
import type { AnnouncedPaper } from '../../src/domain/paper.ts';

let bundled: Promise<AnnouncedPaper[]> | undefined;

/** The bundled snapshot of real papers, read once per test process. */
export function bundledPapers(): Promise<AnnouncedPaper[]> {
  bundled ??= readSnapshot(DEFAULT_SNAPSHOT_PATH);
  return bundled;
}

/** The first `perDay` papers of each announcement day of the bundled snapshot. */
export async function samplePapers(perDay: number): Promise<AnnouncedPaper[]> {
  const counts = new Map<string, number>();
  return (await bundledPapers()).filter((p) => {
    const n = counts.get(p.announcedOn) ?? 0;
    counts.set(p.announcedOn, n + 1);
    return n < perDay;
  });
}

export function toSnapshotLine(paper: AnnouncedPaper): SnapshotLine {
  return { ...paper.record, announcedOn: paper.announcedOn, announceType: paper.announceType };
}

export function writeSnapshotFile(dir: string, papers: AnnouncedPaper[], name = 'snapshot.jsonl'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, papers.map((p) => JSON.stringify(toSnapshotLine(p))).join('\n') + '\n');
  return file;
}
