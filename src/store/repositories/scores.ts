import { sql } from 'kysely';
import { inJsonList } from '../bulk-rows.ts';
import type { Db } from '../db.ts';
import { paperTraits, type PaperTraits } from '../selection-inputs.ts';

/** Rows per multi-row upsert: well under SQLite's 32,766 bound parameters. */
const WRITE_CHUNK = 400;

/** What the scoring stage keeps of every paper; abstracts are streamed, not held. */
export interface PaperToScore {
  id: string;
  latest_version: number;
  title: string;
  published_at: string;
  first_announced_on: string | null;
}

export interface SummaryRubricRow {
  paper_id: string;
  version: number;
  engine: string;
  model: string;
  prompt_version: string;
  created_at: string;
  rubric: string | null;
}

export interface ScoreRow {
  paper_id: string;
  version: number;
  method_version: string;
  novelty: number;
  ai_score: number;
  details: string;
  computed_at: string;
}

/** The scoring stage's reads and its one write; the JSON path into `details` differs per dialect. */
export abstract class ScoresRepository {
  constructor(protected readonly db: Db) {}

  /** Every stored paper: id, latest version, title, submission time, first announcement day. */
  allPapersToScore(): Promise<PaperToScore[]> {
    return this.db.selectFrom('papers').select(['id', 'latest_version', 'title', 'published_at', 'first_announced_on']).execute();
  }

  /** The summaries of these papers with their rubric (JSON text), newest first. */
  summaryRubricsNewestFirst(paperIds: readonly string[]): Promise<SummaryRubricRow[]> {
    return this.db
      .selectFrom('summaries')
      .select(['paper_id', 'version', 'engine', 'model', 'prompt_version', 'created_at', 'rubric'])
      .where(inJsonList(this.db, 'paper_id', [...paperIds]))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /** Every score of `method`: paper, version and the summary key its AI score used (null if none). */
  abstract summaryKeysOfMethod(method: string): Promise<Array<{ paper_id: string; version: number; summary_key: string | null }>>;

  /** The (paper, author) links of these papers. */
  authorLinksOfPapers(paperIds: readonly string[]): Promise<Array<{ paper_id: string; author_id: number }>> {
    return this.db.selectFrom('paper_authors').select(['paper_id', 'author_id']).where(inJsonList(this.db, 'paper_id', [...paperIds])).execute();
  }

  /** The (paper, author) links of these authors. */
  authorLinksOfAuthors(authorIds: readonly number[]): Promise<Array<{ paper_id: string; author_id: number }>> {
    return this.db.selectFrom('paper_authors').select(['paper_id', 'author_id']).where(inJsonList(this.db, 'author_id', [...authorIds])).execute();
  }

  /** Streams every paper's id, title, abstract and comment. */
  streamPaperTexts(): AsyncIterable<{ id: string; title: string; abstract: string; comment: string | null }> {
    return this.db.selectFrom('papers').select(['id', 'title', 'abstract', 'comment']).stream();
  }

  /** The ids among these papers that have a code link. */
  async papersWithCode(paperIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.selectFrom('code_links').select('paper_id').where(inJsonList(this.db, 'paper_id', [...paperIds])).execute();
    return new Set(rows.map((r) => r.paper_id));
  }

  /** Number of authors and categories (in order) of each paper: the selection model's inputs beyond text. */
  paperTraits(paperIds: readonly string[]): Promise<Map<string, PaperTraits>> {
    return paperTraits(this.db, paperIds);
  }

  /** Writes (insert or replace) score rows, in one transaction. */
  async upsert(rows: readonly ScoreRow[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        await tx
          .insertInto('scores')
          .values(rows.slice(i, i + WRITE_CHUNK))
          .onConflict((oc) =>
            oc.columns(['paper_id', 'version', 'method_version']).doUpdateSet((eb) => ({
              novelty: eb.ref('excluded.novelty'),
              ai_score: eb.ref('excluded.ai_score'),
              details: eb.ref('excluded.details'),
              computed_at: eb.ref('excluded.computed_at'),
            })),
          )
          .execute();
      }
    });
  }
}

export class SqliteScores extends ScoresRepository {
  override summaryKeysOfMethod(method: string) {
    return this.db
      .selectFrom('scores')
      .select(['paper_id', 'version', sql<string | null>`json_extract(details, '$.aiScore.summaryKey')`.as('summary_key')])
      .where('method_version', '=', method)
      .execute();
  }
}

export class PostgresScores extends ScoresRepository {
  override summaryKeysOfMethod(method: string) {
    return this.db
      .selectFrom('scores')
      .select(['paper_id', 'version', sql<string | null>`details::jsonb #>> '{aiScore,summaryKey}'`.as('summary_key')])
      .where('method_version', '=', method)
      .execute();
  }
}
