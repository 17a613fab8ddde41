/**
 * Readers for the evaluation data sets (JSON Lines, one record a line):
 * - CSAbstruct (Cohan et al., EMNLP 2019; Apache-2.0): `{sentences: string[], labels: string[]}`,
 *   one rhetorical role per sentence among background/objective/method/result/other;
 * - SciTLDR abstract-only (Cachola et al., Findings of EMNLP 2020; Apache-2.0):
 *   `{source: string[], target: string[], title, paper_id}`, the abstract's sentences and 1+ gold TLDRs;
 * - arXiv daily listings (e.g. daily-arXiv-ai-enhanced's; arXiv metadata, CC0): `{id, title, summary, categories, comment}`.
 * Malformed lines fail loudly with the file and line number: an evaluation must not silently shrink.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TAXONOMY, type Tag } from '../domain/taxonomy.ts';
import { ROLE_LABELS, type RoleLabel } from '../summarize/offline/role-features.ts';

export function readJsonLines<T>(file: string, schema: z.ZodType<T>): T[] {
  const records: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
      records.push(parsed.data);
    });
  return records;
}

export interface LabelledAbstract {
  sentences: string[];
  labels: RoleLabel[];
}

const csAbstructSchema = z
  .object({ sentences: z.array(z.string()), labels: z.array(z.enum(ROLE_LABELS)) })
  .refine((record) => record.sentences.length === record.labels.length, 'one label per sentence');

export function readCsAbstruct(file: string): LabelledAbstract[] {
  return readJsonLines(file, csAbstructSchema).map(({ sentences, labels }) => ({ sentences, labels }));
}

export interface TldrExample {
  paperId: string;
  title: string;
  /** The abstract, one sentence per entry, as the data set splits it. */
  source: string[];
  /** Gold TLDRs (author- and reviewer-written): one in train, 1-4 in dev. */
  targets: string[];
}

const sciTldrSchema = z.object({
  source: z.array(z.string()),
  target: z.array(z.string()),
  title: z.string().optional(),
  paper_id: z.string().optional(),
});

export function readSciTldr(file: string): TldrExample[] {
  return readJsonLines(file, sciTldrSchema).map((record, index) => ({
    paperId: record.paper_id ?? `line-${index + 1}`,
    title: record.title ?? '',
    source: record.source,
    targets: record.target,
  }));
}

export interface ListingPaper {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  comment: string | null;
}

const listingSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  categories: z.array(z.string()),
  comment: z.string().nullable().optional(),
});

export function readListing(file: string): ListingPaper[] {
  return readJsonLines(file, listingSchema).map((record) => ({
    id: record.id,
    title: record.title,
    abstract: record.summary,
    categories: record.categories,
    comment: record.comment ?? null,
  }));
}

export interface AclSumPaper {
  id: string;
  title: string;
  /** The abstract, its tokenised sentences joined back into running text. */
  abstract: string;
  challenge: string;
  approach: string;
  outcome: string;
}

const aclSumSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.object({ challenge: z.string(), approach: z.string(), outcome: z.string() }),
  sentences: z.object({ abstract: z.array(z.string()).min(1) }),
});

/** ACLSum's sentences are tokenised ("text , as ( NER ) ."): undo the spaces around punctuation. */
export function detokenise(text: string): string {
  return text
    .replace(/ ([.,;:!?)\]%])/g, '$1')
    .replace(/([([]) /g, '$1')
    .replace(/ ' s\b/g, "'s");
}

/**
 * ACLSum (Takeshita et al., "ACLSum: A New Dataset for Aspect-based Summarization of Scientific
 * Publications", NAACL 2024; MIT): expert one-sentence challenge / approach / outcome summaries.
 */
export function readAclSum(file: string): AclSumPaper[] {
  return readJsonLines(file, aclSumSchema).map((record) => ({
    id: record.id,
    title: record.title,
    abstract: detokenise(record.sentences.abstract.join(' ')),
    challenge: record.summary.challenge,
    approach: record.summary.approach,
    outcome: record.summary.outcome,
  }));
}

export interface TaggedPaper {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  /** The tags a careful reader gave it (test/fixtures/tags-dev/README.md states the rule). */
  tags: Tag[];
  /** `tune`: rules may be adjusted on it; `test`: only ever measured. */
  split: 'tune' | 'test';
}

const taggedPaperSchema = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string(),
  categories: z.array(z.string()).min(1),
  tags: z.array(z.enum(TAXONOMY)).min(1).max(4),
  split: z.enum(['tune', 'test']),
});

export function readTaggedPapers(file: string): TaggedPaper[] {
  return readJsonLines(file, taggedPaperSchema);
}
