import type { Generated } from 'kysely';

/** Row types of the store, as Kysely sees them. JSON columns are TEXT and parsed in the repositories. */
export interface PapersTable {
  seq: Generated<number>;
  id: string;
  latest_version: number;
  title: string;
  abstract: string;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  primary_category: string;
  published_at: string;
  updated_at: string;
  first_announced_on: string | null;
  withdrawn: Generated<number>;
  summary_status: Generated<SummaryStatus>;
  summary_error: string | null;
  search_indexed: Generated<number>;
  stored_at: string;
  changed_at: string;
}

export type SummaryStatus = 'pending' | 'success' | 'fallback' | 'skipped' | 'failed';

export interface PaperVersionsTable {
  paper_id: string;
  version: number;
  submitted_at: string;
  title_raw: string;
  abstract_raw: string;
  comment: string | null;
  source: string;
  fetched_at: string;
}

export interface PaperCategoriesTable {
  paper_id: string;
  category: string;
  position: number;
}

export interface AuthorsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  semantic_scholar_id: string | null;
  openalex_id: string | null;
  orcid: string | null;
  created_at: string;
}

export interface PaperAuthorsTable {
  paper_id: string;
  position: number;
  author_id: number;
  name: string;
  affiliations: string;
}

export interface AnnouncementsTable {
  announced_on: string;
  paper_id: string;
  announce_type: 'new' | 'cross' | 'replace' | 'replace-cross';
  version: number;
}

export interface CodeLinksTable {
  paper_id: string;
  url: string;
  found_in: string;
}

export interface SummariesTable {
  id: Generated<number>;
  paper_id: string;
  version: number;
  engine: string;
  model: string;
  prompt_version: string;
  outcome: 'success' | 'fallback';
  tldr: string;
  tags: string;
  highlights: string;
  summary: string;
  methodology: string;
  results: string;
  implications: string;
  created_at: string;
  /** The LLM's AI Score rubric as JSON (migration 0005); null for offline summaries. */
  rubric: Generated<string | null>;
}

export interface ScoresTable {
  paper_id: string;
  version: number;
  method_version: string;
  novelty: number | null;
  ai_score: number | null;
  details: string;
  computed_at: string;
}

export interface DigestEntriesTable {
  announced_on: string;
  rank: number;
  paper_id: string;
  why: string;
  method_version: string;
  selected_at: string;
}

export interface IngestRunsTable {
  id: Generated<number>;
  source: string;
  params: string;
  status: 'running' | 'success' | 'failed';
  started_at: string;
  finished_at: string | null;
  fetched: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  checkpoint: string | null;
  /** The claim of the process running it (migration 0013); null on runs from before. */
  owner_token: string | null;
  owner_host: string | null;
  owner_pid: number | null;
  /** Epoch ms until which the owner counts as alive unless shown gone; renewed while it runs. */
  lease_until_ms: number | null;
}

export interface AnnouncementDaysTable {
  announced_on: string;
  category: string;
  kind: 'announcement' | 'weekend' | 'holiday' | 'empty';
  listed: number;
  stored: number;
  checked_at: string;
}

export interface HttpValidatorsTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  updated_at: string;
}

export interface Database {
  papers: PapersTable;
  paper_versions: PaperVersionsTable;
  paper_categories: PaperCategoriesTable;
  authors: AuthorsTable;
  paper_authors: PaperAuthorsTable;
  announcements: AnnouncementsTable;
  code_links: CodeLinksTable;
  summaries: SummariesTable;
  scores: ScoresTable;
  digest_entries: DigestEntriesTable;
  ingest_runs: IngestRunsTable;
  announcement_days: AnnouncementDaysTable;
  http_validators: HttpValidatorsTable;
  llm_calls: LlmCallsTable;
  paper_lookups: PaperLookupsTable;
  paper_author_matches: PaperAuthorMatchesTable;
  external_authors: ExternalAuthorsTable;
  summary_claims: SummaryClaimsTable;
  rate_gates: RateGatesTable;
  rate_gate_slots: RateGateSlotsTable;
  readers: ReadersTable;
  reader_tokens: ReaderTokensTable;
  reader_library: ReaderLibraryTable;
  reader_feedback: ReaderFeedbackTable;
  reader_follows: ReaderFollowsTable;
}

/** A reader (migration 0014): the owner in owner mode, or one who signs in by email. */
export interface ReadersTable {
  id: string;
  email: string;
  created_at: string;
}

export type ReaderTokenKind = 'api' | 'session' | 'sign-in' | 'feed';

/** A reader's secret, by its SHA-256 only: API tokens, sessions, sign-in links, the personal feed's URL. */
export interface ReaderTokensTable {
  token_hash: string;
  reader_id: string;
  kind: ReaderTokenKind;
  created_at: string;
  /** Sessions and sign-in links end; API and feed tokens last until revoked. */
  expires_at: string | null;
  /** A sign-in link works once. */
  used_at: string | null;
  revoked_at: string | null;
}

/** One paper of a reader's library: an arXiv paper (paper_id) or a reference imported from elsewhere. */
export interface ReaderLibraryTable {
  reader_id: string;
  /** The arXiv id when there is one, else the import's own key (a DOI, a BibTeX key). */
  item_id: string;
  paper_id: string | null;
  title: string;
  abstract: string | null;
  year: number | null;
  added_at: string;
  /** How it came: 'arxiv' (added by id), 'save' (a card's save), 'bibtex', 'ris', 'csl-json', 'zotero'. */
  source: string;
}

export type FeedbackSignal = 'save' | 'not-interested';

export interface ReaderFeedbackTable {
  reader_id: string;
  paper_id: string;
  signal: FeedbackSignal;
  at: string;
}

export type FollowKind = 'author' | 'topic' | 'category' | 'include' | 'exclude';

/** What a reader follows (authors, topics, categories) and their keyword rules (include, exclude). */
export interface ReaderFollowsTable {
  reader_id: string;
  kind: FollowKind;
  value: string;
  created_at: string;
}

/** A rate gate shared by every process (migration 0011); times in epoch milliseconds. */
export interface RateGatesTable {
  service: string;
  /** No request may start before this (the spacing after the last start). */
  next_start_ms: number;
  /** No request may start before this either (a Retry-After seen by any process). */
  hold_until_ms: number;
}

/** One request through a rate gate: in flight until its lease ends (released or expired). */
export interface RateGateSlotsTable {
  service: string;
  slot_id: string;
  started_ms: number;
  lease_until_ms: number;
}

/** A worker's lease on summarising one paper version (migration 0009). */
export interface SummaryClaimsTable {
  paper_id: string;
  version: number;
  /** Who holds it: host, pid and a per-process id, for logs and `papersift jobs`. */
  owner: string;
  /** ISO time after which another worker may take the version over. */
  lease_until: string;
}

/** What became of one LLM request: an accepted answer, an answer rejected by a check, or no answer. */
export type LlmCallOutcome = 'success' | 'invalid_json' | 'schema_violation' | 'unfaithful' | 'truncated' | 'http_error' | 'timeout';

/** The LLM ledger (migration 0003): one row per request sent to a provider. */
export interface LlmCallsTable {
  id: Generated<number>;
  paper_id: string;
  version: number;
  provider: string;
  model: string;
  prompt_version: string;
  /** 1-based number of the request for this paper version within one summarise call (HTTP retries included). */
  attempt: number;
  tokens_in: number | null;
  tokens_out: number | null;
  /** USD estimate from the configured prices; null when a price is unknown. */
  cost_usd: number | null;
  latency_ms: number;
  outcome: LlmCallOutcome;
  error: string | null;
  created_at: string;
}

/** Where enrichment data came from (migration 0004). */
export type ExternalSource = 'semantic_scholar' | 'openalex';

/** One paper looked up in one source: found (with its figures) or not found, and when. */
export interface PaperLookupsTable {
  paper_id: string;
  source: ExternalSource;
  /** The paper version that was current when it was looked up; a newer version is looked up again. */
  version: number;
  status: 'found' | 'not_found';
  external_id: string | null;
  citation_count: number | null;
  influential_citation_count: number | null;
  fetched_at: string;
}

/** An author of a looked-up paper, matched to the arXiv author at `position`. */
export interface PaperAuthorMatchesTable {
  paper_id: string;
  position: number;
  source: ExternalSource;
  external_author_id: string;
  external_name: string;
  orcid: string | null;
  /** JSON array of { name, ror } (OpenAlex institutions); '[]' for Semantic Scholar. */
  institutions: string;
}

/** An author record of a source, as last fetched. */
export interface ExternalAuthorsTable {
  source: ExternalSource;
  external_id: string;
  status: 'found' | 'not_found';
  name: string | null;
  h_index: number | null;
  paper_count: number | null;
  citation_count: number | null;
  orcid: string | null;
  /** JSON array of affiliation names. */
  affiliations: string;
  url: string | null;
  fetched_at: string;
}
