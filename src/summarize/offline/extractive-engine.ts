/**
 * The offline summariser: no LLM, no network, deterministic. Every line of its output is a
 * sentence of the paper's own abstract, or a clean piece of one (a clause cut at a boundary), so it
 * can never state a number or claim the paper does not.
 */
import {
  InsufficientSourceTextError,
  paperSummarySchema,
  type PaperSummary,
  type SummaryEngine,
  type SummaryInput,
} from '../engine.ts';
import { collapseWhitespace } from '../../domain/whitespace.ts';
import { compressToLine, shortenSentence, splitAtClause, splitSentences, withoutLeadIn } from '../sentences.ts';
import { CARD_LIMITS, countSentences, countWords as cardWords } from '../card-rules.ts';
import {
  analyseSentenceRoles,
  isAvailabilitySentence,
  isImplicationSentence,
  type Role,
  type RoleProbabilities,
  type RoleScores,
} from './roles.ts';
import { salienceScorer } from './line-salience.ts';
import { tagPaper } from './tagger.ts';
import { defaultTldrScorer } from './tldr-scorer.ts';

/** Below this many words an abstract cannot support four highlights and four sections honestly. */
const MIN_ABSTRACT_WORDS = 12;
/**
 * A highlight is one line, like the reference site's short phrases (median 12 words, none over 21):
 * a piece of a sentence cut at clause boundaries, never over HIGHLIGHT_MAX_WORDS (the card limit
 * every engine is held to). The contribution and the result may use all of that (they carry the
 * claim and its numbers); the method and the problem are short lines of at most SHORT_HIGHLIGHT_WORDS,
 * a hard cap (not a preference a long sentence can overrule), so at least half of all highlights are
 * that short and the median stays at or under 14 words by construction, not by luck of the data
 * (with only a preference, the median was 14 on ACLSum train but 15 on val). Chosen on the ACLSum
 * train split: long slots 20 → 24 and short slots 12 preferred / 24 max → 14 hard, with the
 * problem and result choices below: highlights joined vs aspects joined 37.1 → 37.4, median 14.
 */
const HIGHLIGHT_MAX_WORDS = 24;
const SHORT_HIGHLIGHT_WORDS = 14;
/** Most words per highlight slot: contribution, method, result, problem. */
const SLOT_MAX_WORDS = [HIGHLIGHT_MAX_WORDS, SHORT_HIGHLIGHT_WORDS, HIGHLIGHT_MAX_WORDS, SHORT_HIGHLIGHT_WORDS];
/**
 * Besides the main finding, the Results section holds one line of at most this many words (the
 * card's rules want 2-4 sentences): every word beyond the finding dilutes it against an expert's
 * one-sentence outcome (ACLSum train, ROUGE-1 vs outcome: 8 or 12 words 32.0; the finding alone,
 * which the rules do not allow, 33.0).
 */
const RESULT_SETTING_WORDS = 8;
/** The TL;DR's card limit; its usual length comes with the trained TL;DR scorer (cross-validated). */
const TLDR_MAX_WORDS = 30;
/** The Summary section is one paragraph of this many words (or the whole, shorter, abstract). */
const SUMMARY_MIN_WORDS = 120;
const SUMMARY_MAX_WORDS = 200;
/** Methodology, Results and Implications hold 1-4 sentences; two read better than one. */
const SECTION_MAX_SENTENCES = 4;
const HIGHLIGHT_COUNT = 4;

/** One abstract sentence with everything the selection rules look at. */
interface AnalysedSentence {
  text: string;
  index: number;
  words: number;
  role: Role;
  scores: RoleScores;
  /** The trained role model's probability of each role. */
  probabilities: RoleProbabilities;
  implication: boolean;
  /** "Code is available at ...": true abstract text, but never a highlight if avoidable. */
  availability: boolean;
  hasNumber: boolean;
}

function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

function analyse(abstract: string): AnalysedSentence[] {
  const sentences = splitSentences(abstract);
  const roles = analyseSentenceRoles(sentences);
  return sentences.map((text, index) => ({
    text,
    index,
    words: countWords(text),
    role: roles[index]?.role ?? 'other',
    scores: roles[index]?.scores ?? { background: 0, objective: 0, method: 0, result: 0, implication: 0 },
    probabilities: roles[index]?.probabilities ?? { background: 0, objective: 0, method: 0, result: 0, other: 1 },
    implication: isImplicationSentence(text, { index, total: sentences.length }),
    availability: isAvailabilitySentence(text),
    hasNumber: /\d/.test(text),
  }));
}

/**
 * The sentence that best wins by `keys` (compared left to right, higher wins); earlier sentences
 * win ties, which keeps selection deterministic.
 */
function best(
  candidates: readonly AnalysedSentence[],
  keys: (sentence: AnalysedSentence) => readonly number[],
): AnalysedSentence | undefined {
  let winner: AnalysedSentence | undefined;
  let winnerKeys: readonly number[] = [];
  for (const candidate of candidates) {
    const candidateKeys = keys(candidate);
    if (winner === undefined || compareKeys(candidateKeys, winnerKeys) > 0) {
      winner = candidate;
      winnerKeys = candidateKeys;
    }
  }
  return winner;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const flag = (value: boolean): number => (value ? 1 : 0);
/**
 * Words with which abstracts state an outcome: a comparison, a gain, a demonstration. Experts'
 * one-sentence outcomes ("The proposed method outperforms X on Y") are built from them.
 */
const OUTCOME_CUE =
  /\b(?:outperform\w*|achiev\w*|improv\w*|state[- ]of[- ]the[- ]art|significant\w*|better|gains?|superior|surpass\w*|competitive|effective\w*|accura\w*|show(?:s|n)?|demonstrat\w*|results?|compared|than|over|baselines?|performance)\b/gi;
const outcomeCues = (text: string): number => text.match(OUTCOME_CUE)?.length ?? 0;
/** Words of a problem statement: what fails, is missing or costs too much. */
const PROBLEM_CUE = /\b(?:however|but|remains?|challeng\w*|limit\w*|fail\w*|struggl\w*|lack\w*|suffer\w*|difficult\w*|problem\w*|costly|expensive|bottleneck|gap)\b/i;

/**
 * What the paper does, in one sentence: the release-statement-free sentence the trained TL;DR
 * scorer (tldr-scorer.ts) rates highest; earlier sentences win ties.
 */
function pickContribution(sentences: readonly AnalysedSentence[], title: string): AnalysedSentence {
  const usable = sentences.filter((sentence) => !sentence.availability);
  const pool = usable.length > 0 ? usable : sentences;
  const total = sentences.length;
  const scores = defaultTldrScorer().score(
    pool.map((s) => ({ ...s, total })),
    title,
  );
  const scoreOf = new Map(pool.map((sentence, i) => [sentence.index, scores[i] ?? 0]));
  const chosen = best(pool, (s) => [scoreOf.get(s.index) ?? 0]);
  if (chosen === undefined) throw new Error('pickContribution needs at least one sentence');
  return chosen;
}


/** A highlight is a sentence: make sure it ends like one (an abstract's last sentence may not). */
function endAsSentence(text: string): string {
  return /[.!?…]['")\]”’]*$/.test(text) ? text : `${text}.`;
}

const normalisedKey = (text: string): string => collapseWhitespace(text).toLowerCase().replace(/[.!?…]+$/, '');

/**
 * Four highlights, one per slot: contribution, method, main result (numbers preferred) and the
 * problem the paper addresses (else the implication/closing). Returns undefined when the abstract does not have four distinct usable
 * sentences, so the caller falls back to clause pieces.
 */
function pickHighlightsByRole(
  sentences: readonly AnalysedSentence[],
  contribution: AnalysedSentence,
  finding: AnalysedSentence | undefined,
  toHighlight: (text: string, maxWords: number) => string,
): string[] | undefined {
  const used = new Set<number>([contribution.index]);
  const unused = (): AnalysedSentence[] =>
    sentences.filter((sentence) => !used.has(sentence.index) && !sentence.availability);
  const take = (sentence: AnalysedSentence | undefined): AnalysedSentence | undefined => {
    if (sentence !== undefined) used.add(sentence.index);
    return sentence;
  };

  // Without a method sentence, prefer one that is at least not context or a result.
  const method = take(
    best(unused(), (s) => [
      flag(s.role === 'method'),
      flag(s.role !== 'result' && s.role !== 'background'),
      s.scores.method,
    ]),
  );
  // The main finding, the sentence the Results section is built on, so card and section agree; when
  // the contribution or method took it, the next strongest finding. The trained model files closing
  // "these results suggest" sentences under result too: keep them for the implication slot.
  const result = take(
    finding !== undefined && !used.has(finding.index)
      ? finding
      : best(unused(), (s) => [flag(s.role === 'result'), flag(!s.implication), findingStrength(s)]),
  );
  // The problem the paper takes on: experts' summaries open with it, the implication rarely adds a
  // fact. The earliest background sentence that names a difficulty: the first statement of the
  // problem, not the last detail before the contribution (ACLSum train 37.3 → 37.4).
  const remaining = unused();
  const problem = take(
    best(
      remaining.filter((s) => s.index < contribution.index || s.role === 'background'),
      (s) => [flag(s.role === 'background'), flag(PROBLEM_CUE.test(s.text)), -s.index],
    ) ?? [...remaining].reverse().find((sentence) => sentence.implication) ?? remaining.at(-1),
  );
  const picked = [contribution, method, result, problem].filter(
    (sentence): sentence is AnalysedSentence => sentence !== undefined,
  );
  if (picked.length < HIGHLIGHT_COUNT) return undefined;

  const highlights = picked.map((sentence, slot) => toHighlight(sentence.text, SLOT_MAX_WORDS[slot] ?? SHORT_HIGHLIGHT_WORDS));
  const distinct = new Set(highlights.map(normalisedKey));
  return distinct.size === HIGHLIGHT_COUNT ? highlights : undefined;
}

/**
 * For abstracts with fewer than four usable sentences: split the longest pieces at their cleanest
 * clause boundary until there are four distinct pieces, in original order. Each piece is a piece of
 * the abstract's text (capitalised, closed with a period).
 */
function highlightsFromClauses(
  sentences: readonly AnalysedSentence[],
  toHighlight: (text: string, maxWords: number) => string,
): string[] | undefined {
  const usable = sentences.filter((sentence) => !sentence.availability);
  // Split whole sentences (shortening first would throw away the clauses we need), shorten last.
  let pieces = (usable.length > 0 ? usable : sentences).map((sentence) => sentence.text);
  const distinctHighlights = (): string[] => {
    const seen = new Set<string>();
    return pieces
      .map((piece) => toHighlight(piece, SHORT_HIGHLIGHT_WORDS))
      .filter((highlight) => {
        const key = normalisedKey(highlight);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  };
  let highlights = distinctHighlights();
  while (highlights.length < HIGHLIGHT_COUNT) {
    let chosen: { at: number; halves: [string, string]; rank: number; length: number } | undefined;
    pieces.forEach((piece, at) => {
      const split = splitAtClause(piece);
      if (split === null) return;
      const better =
        chosen === undefined ||
        split.rank < chosen.rank ||
        (split.rank === chosen.rank && piece.length > chosen.length);
      if (better) chosen = { at, halves: split.pieces, rank: split.rank, length: piece.length };
    });
    if (chosen === undefined) return undefined;
    const { at, halves } = chosen;
    pieces = [...pieces.slice(0, at), ...halves, ...pieces.slice(at + 1)];
    highlights = distinctHighlights();
  }
  return highlights.slice(0, HIGHLIGHT_COUNT);
}

function inOriginalOrder(sentences: Iterable<AnalysedSentence>): AnalysedSentence[] {
  return [...new Set(sentences)].sort((a, b) => a.index - b.index);
}

function joinSentences(sentences: readonly AnalysedSentence[]): string {
  return sentences.map((sentence) => sentence.text).join(' ');
}

/**
 * One 120-200 word paragraph of abstract sentences in original order (the whole abstract when it
 * is at most 200 words). Sentences are admitted by importance: contribution, main result, method,
 * the opening context, implication, then the rest by their strongest role evidence.
 */
function summaryParagraph(
  sentences: readonly AnalysedSentence[],
  contribution: AnalysedSentence,
): string {
  const totalWords = sentences.reduce((sum, sentence) => sum + sentence.words, 0);
  if (totalWords <= SUMMARY_MAX_WORDS) return joinSentences(sentences);

  const strongestRole = (s: AnalysedSentence): number =>
    Math.max(s.scores.objective, s.scores.method, s.scores.result, s.scores.background);
  const byEvidence = [...sentences].sort(
    (a, b) => flag(a.availability) - flag(b.availability) || strongestRole(b) - strongestRole(a) || a.index - b.index,
  );
  const priority = [
    contribution,
    best(sentences, (s) => [flag(s.role === 'result'), flag(s.hasNumber), s.scores.result]),
    best(sentences, (s) => [flag(s.role === 'method'), s.scores.method]),
    sentences[0],
    [...sentences].reverse().find((sentence) => sentence.implication),
    ...byEvidence,
  ].filter((sentence): sentence is AnalysedSentence => sentence !== undefined);

  const chosen = new Map<number, string>();
  let words = 0;
  for (const sentence of priority) {
    if (chosen.has(sentence.index) || words + sentence.words > SUMMARY_MAX_WORDS) continue;
    chosen.set(sentence.index, sentence.text);
    words += sentence.words;
  }
  // Too short (very long sentences)? Admit clean shortenings of what did not fit.
  for (const sentence of priority) {
    if (words >= SUMMARY_MIN_WORDS) break;
    if (chosen.has(sentence.index)) continue;
    const remainingWords = SUMMARY_MAX_WORDS - words;
    const shortened = shortenSentence(sentence.text, remainingWords * 6);
    const shortenedWords = countWords(shortened);
    if (shortenedWords > remainingWords) continue;
    chosen.set(sentence.index, shortened);
    words += shortenedWords;
  }
  if (chosen.size === 0) {
    // One run-on sentence longer than the paragraph: one clean cut of it, else a hard cut at the limit.
    const shortened = shortenSentence(contribution.text, SUMMARY_MAX_WORDS * 6);
    return cardWords(shortened) <= SUMMARY_MAX_WORDS ? shortened : compressToLine(shortened, SUMMARY_MAX_WORDS, SUMMARY_MAX_WORDS);
  }
  return [...chosen.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, text]) => text)
    .join(' ');
}

/** Up to four sentences with the highest `score`, returned in original order. */
function strongest(
  sentences: readonly AnalysedSentence[],
  score: (sentence: AnalysedSentence) => number,
  limit = SECTION_MAX_SENTENCES,
): AnalysedSentence[] {
  const ranked = [...sentences].sort((a, b) => score(b) - score(a) || a.index - b.index);
  return inOriginalOrder(ranked.slice(0, limit));
}

/**
 * How the work is done, as experts summarise an approach: what the paper proposes (the contribution)
 * and the sentence the role model is surest describes the method, in original order, each without
 * its framing lead-in ("To this end, we ..." → "We ..."). Chosen on the ACLSum train split over the
 * previous "up to four method sentences" (ROUGE-1 against the experts' approach 28.6 → 33.0).
 */
function methodologySection(
  sentences: readonly AnalysedSentence[],
  contribution: AnalysedSentence,
): string {
  const method = best(
    sentences.filter((s) => !s.availability && s.index !== contribution.index),
    (s) => [s.probabilities.method],
  );
  return fitSection(
    sentences,
    method === undefined ? [contribution] : [contribution, method],
    (s) => [flag(!s.availability), s.probabilities.method],
    (sentence) => withoutLeadIn(sentence.text),
  );
}

/**
 * A section as the card's rules want it (card-rules.ts): 2-4 sentences (at most as many as the
 * abstract has: an extractive engine cannot honestly write more), at most sectionMaxWords words.
 * `chosen` is what the section says, most important first; when it has too few sentences the
 * section is completed from `fill`'s ranking of the other sentences; a sentence that does not fit
 * in the word budget is shortened at a clause boundary or left out. Always in original order.
 */
function fitSection(
  sentences: readonly AnalysedSentence[],
  chosen: readonly AnalysedSentence[],
  fill: (sentence: AnalysedSentence) => readonly number[],
  render: (sentence: AnalysedSentence) => string = (sentence) => sentence.text,
): string {
  // Fast path: each abstract sentence counts as one; the joined text is counted once at the end,
  // and only when the splitter disagrees (rare) is the section rebuilt counting as it goes.
  const L = CARD_LIMITS;
  const minSentences = Math.min(L.sectionMinSentences, sentences.length);
  const taken: AnalysedSentence[] = [];
  const add = (sentence: AnalysedSentence): void => {
    if (taken.length < L.sectionMaxSentences && !taken.includes(sentence)) taken.push(sentence);
  };
  for (const sentence of chosen) add(sentence);
  if (taken.length < minSentences) {
    const ranked = [...sentences].sort((a, b) => compareKeys(fill(b), fill(a)) || a.index - b.index);
    for (const sentence of ranked) {
      if (taken.length >= minSentences) break;
      add(sentence);
    }
  }
  const texts = inOriginalOrder(taken).map(render);
  const text = texts.join(' ');
  if (texts.every((piece) => cardWords(piece) > 0) && cardWords(text) <= L.sectionMaxWords) {
    const count = countSentences(text);
    if (count >= minSentences && count <= L.sectionMaxSentences) return text;
  }
  return fitSectionExact(sentences, chosen, fill, render);
}

function fitSectionExact(
  sentences: readonly AnalysedSentence[],
  seed: readonly AnalysedSentence[],
  fill: (sentence: AnalysedSentence) => readonly number[],
  render: (sentence: AnalysedSentence) => string = (sentence) => sentence.text,
): string {
  const L = CARD_LIMITS;
  const minSentences = Math.min(L.sectionMinSentences, sentences.length);
  const taken = new Map<number, string>();
  let words = 0;
  const joined = (): string =>
    [...taken.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text]) => text)
      .join(' ');
  const admit = (sentence: AnalysedSentence): void => {
    if (taken.has(sentence.index)) return;
    let text = render(sentence);
    let n = cardWords(text);
    const budget = L.sectionMaxWords - words;
    if (n > budget) {
      text = shortenSentence(text, budget * 6);
      n = cardWords(text);
      // A run-on "sentence" with no clause boundary: one line of it, cut as the TL;DR is.
      if (n > budget) {
        text = compressToLine(text, budget, budget);
        n = cardWords(text);
      }
      if (n > budget || n === 0) return;
    }
    taken.set(sentence.index, text);
    // Sentences are counted as the rules count them, in the joined text (a split the abstract's
    // splitter made may not survive joining, and the other way round).
    if (countSentences(joined()) > L.sectionMaxSentences) {
      taken.delete(sentence.index);
      return;
    }
    words += n;
  };
  for (const sentence of seed) admit(sentence);
  if (countSentences(joined()) < minSentences) {
    const ranked = [...sentences].sort((a, b) => compareKeys(fill(b), fill(a)) || a.index - b.index);
    for (const sentence of ranked) {
      if (countSentences(joined()) >= minSentences) break;
      admit(sentence);
    }
  }
  return joined();
}

/** How strongly a sentence states an outcome: the role cues' result score plus the outcome words it uses. */
const findingStrength = (s: AnalysedSentence): number => s.scores.result + outcomeCues(s.text);

/**
 * The paper's main finding: among result sentences (closing "these results suggest ..." ones left
 * to Implications when others remain), else sentences with result evidence, the one that states an
 * outcome most strongly. Ranking by the result cue score alone preferred the last, often
 * secondary, finding ("This result demonstrates an example of ..."); adding the outcome words
 * prefers the comparison experts summarise (ACLSum train, ROUGE-1 of this sentence alone vs the
 * outcome: 32.4 → 33.0). Undefined when no sentence carries any result evidence.
 */
function mainFinding(sentences: readonly AnalysedSentence[]): AnalysedSentence | undefined {
  const resultSentences = sentences.filter((s) => s.role === 'result');
  const findings = resultSentences.filter((s) => !s.implication);
  const withEvidence = sentences.filter((s) => !s.availability && s.scores.result >= 1);
  const pool = findings.length > 0 ? findings : resultSentences.length > 0 ? resultSentences : withEvidence;
  return best(pool, (s) => [findingStrength(s)]);
}

/**
 * What was found: the main finding whole, with one line of the sentence just before it (in abstract
 * order), which usually says what was run to find it ("We evaluate on X and Y" before "Our model
 * outperforms ..."): experts' outcomes are one sentence of about 21 words, so a second whole
 * sentence only dilutes it. Chosen on
 * ACLSum train over the previous "two strongest findings" (ROUGE-1 vs outcome 30.7 → 32.0); a
 * second line from the strongest other result sentence scored 31.7, from the sentence after 31.7.
 * Without result evidence anywhere: the last claim that is not background.
 */
function resultsSection(
  sentences: readonly AnalysedSentence[],
  finding: AnalysedSentence | undefined,
  toLine: (text: string, maxWords: number) => string,
): string {
  const fill = (s: AnalysedSentence): readonly number[] => [
    flag(!s.availability),
    flag(!s.implication),
    flag(s.role === 'result' || s.scores.result >= 1),
    s.scores.result,
  ];
  const usable = sentences.filter((s) => !s.availability);
  const main = finding ?? [...usable].reverse().find((s) => s.role !== 'background') ?? usable.at(-1) ?? sentences.at(-1);
  if (main === undefined) return '';
  const before = usable.find((s) => s.index === main.index - 1);
  const setting = before ?? best(sentences.filter((s) => s !== main), fill);
  const render = (s: AnalysedSentence): string => (s === main ? s.text : toLine(s.text, RESULT_SETTING_WORDS));
  return fitSection(sentences, setting === undefined ? [main] : [main, setting], fill, render);
}

/** What it means: implication sentences, else the closing sentence (release statements skipped). */
function implicationsSection(sentences: readonly AnalysedSentence[]): string {
  const fill = (s: AnalysedSentence): readonly number[] => [flag(!s.availability), s.scores.implication, s.index];
  const implications = strongest(
    sentences.filter((s) => s.implication),
    (s) => s.scores.implication,
  );
  if (implications.length > 0) return fitSection(sentences, implications, fill);
  const closing = [...sentences].reverse().find((s) => !s.availability) ?? sentences.at(-1);
  return fitSection(sentences, closing === undefined ? [] : [closing], fill);
}

/** The contribution shortened as the TL;DR scorer was trained; cut to one line only if still over the card limit. */
function tldrOf(contribution: AnalysedSentence): string {
  const tldr = shortenSentence(contribution.text, defaultTldrScorer().maxChars);
  return countWords(tldr) <= TLDR_MAX_WORDS ? tldr : compressToLine(tldr, TLDR_MAX_WORDS, TLDR_MAX_WORDS);
}

function summarise(input: SummaryInput): PaperSummary {
  const abstract = collapseWhitespace(input.abstract);
  const words = countWords(abstract);
  if (words < MIN_ABSTRACT_WORDS) {
    throw new InsufficientSourceTextError(
      input.id,
      words === 0 ? 'the abstract is empty' : `the abstract has only ${words} words`,
    );
  }
  const sentences = analyse(abstract);
  const contribution = pickContribution(sentences, collapseWhitespace(input.title));
  const scorer = salienceScorer(input.title, abstract);
  // One line of at most maxWords words: the best piece of the sentence by the paper's own words.
  const toLine = (text: string, maxWords: number): string => compressToLine(text, maxWords, maxWords, scorer);
  const finding = mainFinding(sentences);
  const highlights =
    pickHighlightsByRole(sentences, contribution, finding, toLine) ?? highlightsFromClauses(sentences, toLine);
  if (highlights === undefined || highlights.length < HIGHLIGHT_COUNT) {
    throw new InsufficientSourceTextError(input.id, 'the abstract cannot yield four distinct highlights');
  }
  return paperSummarySchema.parse({
    tldr: tldrOf(contribution),
    tags: tagPaper({ title: input.title, abstract, categories: input.categories }),
    highlights: highlights.map(endAsSentence),
    sections: {
      summary: summaryParagraph(sentences, contribution),
      methodology: methodologySection(sentences, contribution),
      results: resultsSection(sentences, finding, toLine),
      implications: implicationsSection(sentences),
    },
  });
}

/** The offline engine: always available, used when no LLM is configured and as the fallback. */
export function createOfflineEngine(): SummaryEngine {
  return {
    descriptor: { engine: 'offline', model: 'extractive-v1', promptVersion: 'offline-3' },
    summarize: async (input) => summarise(input),
  };
}
