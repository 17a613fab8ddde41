import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { z } from 'zod';
import { parseJsonWithoutForbiddenCharacters } from '../domain/forbidden-characters.ts';
import type { AnnouncedPaper } from '../domain/paper.ts';

/** One line of a papersift snapshot file: an announced paper with its raw arXiv metadata. */
export const snapshotLineSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  announcedOn: z.iso.date(),
  announceType: z.enum(['new', 'cross', 'replace', 'replace-cross']),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.object({ name: z.string().min(1), affiliations: z.array(z.string()).default([]) })),
  categories: z.array(z.string().min(1)).min(1),
  comment: z.string().nullable().default(null),
  journalRef: z.string().nullable().default(null),
  doi: z.string().nullable().default(null),
  license: z.string().nullable().default(null),
  published: z.string().min(10),
  updated: z.string().min(10),
});

export type SnapshotLine = z.infer<typeof snapshotLineSchema>;

export class SnapshotFormatError extends Error {
  constructor(file: string, lineNumber: number, detail: string) {
    super(`${file}:${lineNumber}: not a snapshot line: ${detail}`);
    this.name = 'SnapshotFormatError';
  }
}

function toAnnouncedPaper(line: SnapshotLine): AnnouncedPaper {
  const { announcedOn, announceType, ...record } = line;
  return { record, announcedOn, announceType };
}

/**
 * Reads a snapshot (JSON lines, gzipped when the name ends in .gz). The whole file is validated
 * before anything is returned, so a damaged snapshot is reported and nothing half-read is stored.
 */
export async function readSnapshot(file: string): Promise<AnnouncedPaper[]> {
  const input = fs.createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
  const papers: AnnouncedPaper[] = [];
  let lineNumber = 0;
  for await (const text of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = parseJsonWithoutForbiddenCharacters(text);
    } catch (error) {
      throw new SnapshotFormatError(file, lineNumber, `invalid JSON (${(error as Error).message})`);
    }
    const parsed = snapshotLineSchema.safeParse(json);
    if (!parsed.success) {
      throw new SnapshotFormatError(file, lineNumber, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    papers.push(toAnnouncedPaper(parsed.data));
  }
  return papers;
}
