import { z } from 'zod';
import { parseArxivId } from './ids.ts';

const isoTimestamp = z.iso.datetime({ error: 'is not an ISO timestamp' });

/** The domain record every source produces; validated once per record at the edge. */
export const paperRecordSchema = z.object({
  id: z.string().refine((id) => parseArxivId(id)?.version === null, 'is not a versionless arXiv id'),
  version: z.number().int().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.object({ name: z.string().min(1), affiliations: z.array(z.string().min(1)) })),
  categories: z.array(z.string().min(1)).min(1, 'no categories'),
  comment: z.string().min(1).nullable(),
  journalRef: z.string().min(1).nullable(),
  doi: z.string().min(1).nullable(),
  license: z.string().min(1).nullable(),
  published: isoTimestamp,
  updated: isoTimestamp,
  versions: z.array(z.object({ version: z.number().int().min(1), submitted: isoTimestamp })).optional(),
});
