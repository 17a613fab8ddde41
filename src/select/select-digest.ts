import type { Tag } from '../summarize/taxonomy.ts';

/**
 * The first, transparent selection method. Issue #6 replaces the signals with Novelty % and the
 * AI Score; the shape (candidates in, ranked picks with a reason out) stays.
 */
export const SELECTION_METHOD = 'preliminary-1';

export interface SelectionCandidate {
  id: string;
  primaryCategory: string;
  categories: string[];
  tags: Tag[];
  abstract: string;
  comment: string | null;
  hasCode: boolean;
}

export interface SelectedPaper {
  id: string;
  why: string;
}

export interface SelectionOptions {
  size: number;
  followedCategories: string[];
  /** No single leading tag may take more than this share of the picks (diversity). */
  maxTagShare: number;
}

const QUANTITATIVE_RESULT = /\d(?:\.\d+)?\s?(?:%|×|x\b|times\b|points?\b|pp\b|BLEU|F1)|\bstate-of-the-art\b|\boutperform/i;
const PEER_REVIEWED = /\baccepted\b|\b(?:ICML|NeurIPS|ICLR|ACL|EMNLP|NAACL|CVPR|ICCV|ECCV|AAAI|IJCAI|KDD|COLT|AISTATS|TMLR|JMLR)\b/;

interface Signal {
  weight: number;
  label: string;
}

function signalsOf(candidate: SelectionCandidate, followed: Set<string>): Signal[] {
  const signals: Signal[] = [];
  if (candidate.hasCode) signals.push({ weight: 2, label: 'code released' });
  if (QUANTITATIVE_RESULT.test(candidate.abstract)) signals.push({ weight: 1, label: 'quantitative results' });
  if (candidate.comment && PEER_REVIEWED.test(candidate.comment)) signals.push({ weight: 1, label: 'accepted at a venue' });
  if (followed.has(candidate.primaryCategory)) signals.push({ weight: 1, label: `primary in ${candidate.primaryCategory}` });
  return signals;
}

/** FNV-1a: a stable tie-break that does not favour low arXiv ids. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Ranks one day's candidates and picks up to `size`, keeping any leading tag under its share. */
export function selectDigest(candidates: SelectionCandidate[], options: SelectionOptions): SelectedPaper[] {
  const followed = new Set(options.followedCategories);
  const ranked = candidates
    .filter((c) => c.categories.some((category) => followed.has(category)))
    .map((c) => {
      const signals = signalsOf(c, followed);
      return { candidate: c, signals, score: signals.reduce((sum, s) => sum + s.weight, 0), tie: stableHash(c.id) };
    })
    .sort((a, b) => b.score - a.score || a.tie - b.tie);
  const size = Math.min(options.size, ranked.length);
  const perTagLimit = Math.max(1, Math.ceil(size * options.maxTagShare));
  const perTag = new Map<string, number>();
  const picked: typeof ranked = [];
  const deferred: typeof ranked = [];
  for (const entry of ranked) {
    if (picked.length === size) break;
    const lead = entry.candidate.tags[0] ?? 'untagged';
    const used = perTag.get(lead) ?? 0;
    if (used >= perTagLimit) {
      deferred.push(entry);
      continue;
    }
    perTag.set(lead, used + 1);
    picked.push(entry);
  }
  // When the day is too uniform to honour the share, fill the remaining places in rank order.
  for (const entry of deferred) {
    if (picked.length === size) break;
    picked.push(entry);
  }
  return picked.map(({ candidate, signals, score }) => ({
    id: candidate.id,
    why:
      signals.length === 0
        ? 'Selected to fill the day (no ranking signal found).'
        : `Score ${score}: ${signals.map((s) => s.label).join(', ')}.`,
  }));
}
