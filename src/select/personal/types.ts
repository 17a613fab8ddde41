/**
 * What personal ranking reads and returns. Plain data, so the store (a reader's library, feedback and
 * follows), the batch command (JSON lines) and the evaluation all hand the ranker the same shapes.
 */

/** A paper of a reader's library. `added` (ISO date or time) orders it; `year` when that is missing. */
export interface LibraryPaper {
  id: string;
  title: string;
  abstract?: string | null;
  year?: number | null;
  added?: string | null;
  /** Unit-length text embedding from an LLM provider, when one is configured (optional). */
  embedding?: Float32Array | null;
}

export interface CandidateAuthor {
  name: string;
  /** A stable author key (the store's author id); followed authors match on it. */
  key: string;
}

/** A paper of the day to rank. */
export interface CandidatePaper {
  id: string;
  title: string;
  abstract?: string | null;
  authors?: readonly CandidateAuthor[];
  categories?: readonly string[];
  /** Topic tags of the paper's card. */
  topics?: readonly string[];
  embedding?: Float32Array | null;
}

export type FeedbackSignal = 'save' | 'not-interested';

export interface Feedback {
  paper: { id: string; title: string; abstract?: string | null };
  signal: FeedbackSignal;
}

export interface ReaderProfile {
  library: readonly LibraryPaper[];
  feedback?: readonly Feedback[];
  follows?: {
    authors?: ReadonlyArray<{ key: string; name: string }>;
    topics?: readonly string[];
    categories?: readonly string[];
  };
  /** Keyword rules: a paper matching an exclude rule is never shown; one matching an include rule is lifted. */
  keywords?: { include?: readonly string[]; exclude?: readonly string[] };
}

export type Reason =
  | { kind: 'author'; name: string }
  | { kind: 'keyword'; keyword: string }
  | { kind: 'topic'; topic: string }
  | { kind: 'category'; category: string }
  | { kind: 'similar'; paperId: string; title: string; similarity: number }
  | { kind: 'library' }
  | { kind: 'none' };

export interface PersonalPick {
  id: string;
  /** Higher is better; comparable within one reader's ranking of one day. */
  score: number;
  /** The reasons, strongest first, as people read them. */
  why: string;
  reasons: Reason[];
}
