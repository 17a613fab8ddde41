/**
 * A reader's explicit choices: keyword rules (exclude hides a paper, include lifts it), followed
 * authors, topics and categories. Pure matching and the reasons they give; the ranker weighs them.
 */
import type { PreparedDay } from './prepared-day.ts';
import type { ReaderProfile, Reason } from './types.ts';

/** A keyword rule matches whole words, case-insensitively ("GAN" is not in "organ"). */
export function keywordMatcher(keyword: string): (lowerText: string) => boolean {
  const words = keyword.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => false;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s-]+');
  // Letters and digits around the match would make it part of another word.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u');
  return (text) => pattern.test(text);
}

export interface CompiledRules {
  /** Whether an exclude rule hides candidate `c` of the day. */
  excluded: (c: number) => boolean;
  /** The reasons a reader's follows and include rules give candidate `c`, strongest first. */
  reasons: (c: number) => Reason[];
}

/** A reader's rules over a prepared day (keyword matches are computed once per day and keyword, for every reader). */
export function compileRules(reader: ReaderProfile, day: PreparedDay): CompiledRules {
  const exclude = (reader.keywords?.exclude ?? []).filter((k) => k.trim() !== '').map((k) => day.keywordMatches(k));
  const include = (reader.keywords?.include ?? []).filter((k) => k.trim() !== '').map((k) => ({ keyword: k.trim(), matches: day.keywordMatches(k) }));
  const authors = new Map((reader.follows?.authors ?? []).map((a) => [a.key, a.name]));
  const topics = new Set((reader.follows?.topics ?? []).map((t) => t.toLowerCase()));
  const categories = new Set(reader.follows?.categories ?? []);
  return {
    excluded: (c) => exclude.some((matches) => matches[c] === 1),
    reasons: (c) => {
      const candidate = day.candidates[c]!;
      const reasons: Reason[] = [];
      for (const author of candidate.authors ?? []) {
        const name = authors.get(author.key);
        if (name !== undefined) reasons.push({ kind: 'author', name });
      }
      for (const rule of include) if (rule.matches[c] === 1) reasons.push({ kind: 'keyword', keyword: rule.keyword });
      for (const topic of candidate.topics ?? []) if (topics.has(topic.toLowerCase())) reasons.push({ kind: 'topic', topic });
      for (const category of candidate.categories ?? []) if (categories.has(category)) reasons.push({ kind: 'category', category });
      return reasons;
    },
  };
}

/** How much each kind of reason lifts a paper, in standard deviations of the reader's text score. */
export const REASON_LIFT: Record<Reason['kind'], number> = {
  author: 3,
  keyword: 2,
  topic: 1,
  category: 0.5,
  similar: 0,
  library: 0,
  none: 0,
};

export function describeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'author':
      return `by ${reason.name}`;
    case 'keyword':
      return `matches '${reason.keyword}'`;
    case 'topic':
      return `about ${reason.topic}`;
    case 'category':
      return `in ${reason.category}`;
    case 'similar':
      return `similar to "${reason.title}"`;
    case 'library':
      return 'already in your library';
    case 'none':
      return 'nothing in your library is close';
  }
}
