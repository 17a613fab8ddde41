/**
 * Sentence and clause handling for abstracts: splitting into sentences, cleanly shortening an
 * over-long sentence, and cutting a sentence into clauses. Everything returned is a piece of the
 * input text (whitespace collapsed), so summaries built from it never contain invented words.
 *
 * All scans are linear over the text; no backtracking-heavy regular expressions.
 */
import { collapseWhitespace } from '../domain/whitespace.ts';

/** A half-open character range [start, end) that must never be split: inline LaTeX or a URL. */
interface Span {
  start: number;
  end: number;
}

/**
 * Abbreviations (lower-cased, with their final period) whose period never ends a sentence, even
 * when a capital letter or a number follows ("e.g. BERT", "Fig. 3", "Smith et al. (2020)").
 * "etc.", "ms.", "min." and "max." are deliberately absent: they end sentences often enough
 * ("A, B, etc. We ...", "latency drops to 12 ms. We ...").
 */
const ABBREVIATIONS = new Set([
  'e.g.', 'i.e.', 'al.', 'vs.', 'v.s.', 'cf.', 'fig.', 'figs.', 'eq.', 'eqs.', 'approx.', 'resp.',
  'sec.', 'secs.', 'tab.', 'ref.', 'refs.', 'thm.', 'lem.', 'prop.', 'def.', 'cor.', 'ch.', 'pp.',
  'vol.', 'ca.', 'esp.', 'incl.', 'viz.', 'w.r.t.', 'wrt.', 'a.k.a.', 'dr.', 'mr.', 'mrs.',
  'prof.', 'inc.', 'ltd.', 'corp.', 'no.',
]);

/**
 * Words that typically open a new sentence in an abstract. A single capital letter followed by a
 * period ("J. Smith") is an initial, unless the next word is one of these ("of size N. We show").
 */
const SENTENCE_OPENERS = new Set([
  'a', 'all', 'although', 'among', 'an', 'across', 'additionally', 'as', 'at', 'based', 'beyond',
  'both', 'by', 'code', 'compared', 'consequently', 'despite', 'each', 'empirical', 'existing',
  'experiments', 'extensive', 'finally', 'first', 'for', 'from', 'further', 'furthermore', 'future',
  'given', 'hence', 'here', 'however', 'if', 'importantly', 'in', 'instead', 'it', 'its', 'many',
  'moreover', 'most', 'notably', 'on', 'our', 'overall', 'recent', 'results', 'second', 'since',
  'specifically', 'such', 'that', 'the', 'then', 'there', 'these', 'this', 'those', 'thus',
  'therefore', 'through', 'to', 'under', 'unlike', 'using', 'we', 'when', 'while', 'with',
]);

const TERMINALS = new Set(['.', '!', '?', '…']);
/** Characters that may sit between a terminal and the following space: `(see Fig. 2.)"`. */
const CLOSERS = new Set([')', ']', '"', "'", '”', '’']);
/** Longest inline `$...$` we believe; beyond it a lone `$` is more likely a currency sign. */
const MAX_INLINE_MATH_CHARS = 400;

/** Inline/display LaTeX (`$...$`, `$$...$$`) and URLs, in text order, non-overlapping. */
function findProtectedSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i - 1] !== '\\') {
      const delimiter = text[i + 1] === '$' ? '$$' : '$';
      const close = findUnescaped(text, delimiter, i + delimiter.length);
      if (close !== -1 && close - i <= MAX_INLINE_MATH_CHARS) {
        spans.push({ start: i, end: close + delimiter.length });
        i = close + delimiter.length;
        continue;
      }
    }
    i++;
  }
  return mergeSpans(spans, findUrlSpans(text));
}

function findUnescaped(text: string, needle: string, from: number): number {
  let at = text.indexOf(needle, from);
  while (at !== -1 && text[at - 1] === '\\') at = text.indexOf(needle, at + 1);
  return at;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/g;

function findUrlSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    let url = match[0];
    // Sentence punctuation after a URL belongs to the sentence, not the URL.
    while (url.length > 0 && /[.,;:!?'")\]]$/.test(url)) {
      const last = url[url.length - 1];
      if (last === ')' && url.includes('(')) break;
      url = url.slice(0, -1);
    }
    if (url.length > 0) spans.push({ start, end: start + url.length });
  }
  return spans;
}

/** Keeps math spans and drops any URL span overlapping one (a `$` inside a URL is rare). */
function mergeSpans(math: Span[], urls: Span[]): Span[] {
  const overlapsMath = (url: Span): boolean =>
    math.some((span) => url.start < span.end && span.start < url.end);
  return [...math, ...urls.filter((url) => !overlapsMath(url))].sort((a, b) => a.start - b.start);
}

/** A lookup answering "is position i inside a protected span?" in O(1) after O(n) setup. */
function protectionMask(text: string, spans: Span[]): Uint8Array {
  const mask = new Uint8Array(text.length);
  for (const span of spans) mask.fill(1, span.start, span.end);
  return mask;
}

/** Characters a new sentence may start with. */
function startsSentence(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{Lu}\p{N}"'“‘(\[$]/u.test(ch);
}

function wordAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && /[\p{L}\p{N}]/u.test(text[end] ?? '')) end++;
  return text.slice(start, end);
}

/** The whitespace-delimited token ending just before `index`, without opening brackets/quotes. */
function tokenBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && text[start - 1] !== ' ') start--;
  return text.slice(start, index).replace(/^[(\["'“‘]+/, '');
}

/**
 * Decides whether the terminal run text[at..runEnd) followed by a space and text[next] ends a
 * sentence. Only called when the run is followed by a space.
 */
function endsSentence(text: string, at: number, runEnd: number, next: number): boolean {
  const nextChar = text[next];
  if (!startsSentence(nextChar)) return false;
  const run = text.slice(at, runEnd).replace(/[)\]"'”’]+$/, '');
  if (run !== '.') return true; // "!", "?", "...", "…": a capitalised continuation is a new sentence

  const token = tokenBefore(text, at);
  const lower = token.toLowerCase();
  if (lower === 'no') return !/\p{N}/u.test(nextChar ?? ''); // "No. 5" vs "... said no. The"
  if (ABBREVIATIONS.has(`${lower}.`)) return false;
  const nextWord = wordAt(text, next).toLowerCase();
  // Initials ("J. Smith") and dotted acronyms ("U.S. Army") keep going unless a typical
  // sentence opener follows.
  if (/^\p{Lu}$/u.test(token) || /^(?:\p{L}\.)+\p{L}$/u.test(token)) {
    return SENTENCE_OPENERS.has(nextWord);
  }
  return true;
}

/**
 * Splits text into sentences. Whitespace runs (including the line breaks arXiv keeps in
 * abstracts) are collapsed to single spaces; pieces are trimmed and empty pieces dropped.
 */
export function splitSentences(text: string): string[] {
  const source = collapseWhitespace(text);
  if (source === '') return [];
  const isProtected = protectionMask(source, findProtectedSpans(source));
  const sentences: string[] = [];
  let sentenceStart = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (isProtected[i] === 1 || !TERMINALS.has(ch)) {
      i++;
      continue;
    }
    let runEnd = i + 1;
    while (runEnd < source.length && TERMINALS.has(source[runEnd] ?? '')) runEnd++;
    while (runEnd < source.length && CLOSERS.has(source[runEnd] ?? '')) runEnd++;
    if (source[runEnd] === ' ' && endsSentence(source, i, runEnd, runEnd + 1)) {
      sentences.push(source.slice(sentenceStart, runEnd));
      sentenceStart = runEnd + 1;
    }
    i = runEnd;
  }
  sentences.push(source.slice(sentenceStart));
  return sentences.map((sentence) => sentence.trim()).filter((sentence) => sentence !== '');
}

// ---------------------------------------------------------------------------------------------
// Clauses: where a sentence may be cut, for shortening and for splitting into highlight pieces.
// ---------------------------------------------------------------------------------------------

/**
 * What kind of boundary a clause cut is, which decides how it may be used:
 * - `standalone`: "; ", ": ", dashes, ", and", ", but": the text after it can stand alone;
 * - `dependent`: ", which", ", enabling": a clean place to end, but what follows leans on the head;
 * - `comma`: a comma followed by a word that starts a clause or phrase ("we", "the", "-ing");
 * - `phrase`: any other comma (between adjectives, inside a noun phrase...): split only as a last resort;
 * - `subordinate`/`preposition`: before "if", "where" / "by", "using": last-resort split points;
 * - `list`: commas and ", and" inside an enumeration ("A, B, and C"): never cut there;
 * - `intro`: the end of an introductory phrase ("Unlike prior methods that ..., we"): never cut
 *   there, since what precedes it is not a clause.
 */
type BoundaryKind =
  | 'standalone'
  | 'dependent'
  | 'comma'
  | 'phrase'
  | 'subordinate'
  | 'preposition'
  | 'list'
  | 'intro';

/** A place where a sentence can be cut: text before `cut` is one clause, text from `resume` on the next. */
interface ClauseBoundary {
  cut: number;
  resume: number;
  kind: BoundaryKind;
}

/** Boundary markers, matched at bracket depth 0 outside LaTeX/URLs, grouped by their first character. */
const PUNCTUATION_MARKERS = ['; ', ': '];
const DASH_MARKERS = [' — ', ' – ', ' -- '];
const STANDALONE_COMMA_MARKERS = [', and ', ', or ', ', but ', ', yet ', ', while ', ', whereas '];
const DEPENDENT_COMMA_MARKERS = [
  ', which ', ', where ', ', who ', ', whose ', ', thereby ', ', thus ', ', enabling ', ', allowing ',
  ', leading to ', ', resulting in ', ', yielding ', ', achieving ', ', making ', ', so that ',
  ', as ', ', with ',
];
/** Words a sentence may be split before, as a last resort (never cut there when shortening). */
const SUBORDINATE_WORDS = new Set(['where', 'which', 'because', 'since', 'if', 'whereas', 'while']);
const PREPOSITION_WORDS = new Set(['by', 'using', 'via', 'through', 'with', 'for', 'to']);

/** Words after a comma that start a new clause or a self-contained phrase. */
const COMMA_CLAUSE_STARTERS = new Set([
  'we', 'our', 'they', 'it', 'this', 'these', 'which', 'where', 'when', 'while', 'whereas', 'thereby',
  'thus', 'hence', 'but', 'yet', 'so', 'a', 'an', 'the', 'including', 'especially', 'particularly',
  'namely', 'as', 'with', 'without', 'both', 'each', 'all', 'whose', 'who', 'then', 'there',
]);

/** Words that bind to what follows ("for which", "due to"): a clause never ends on them. */
const BINDING_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'nor', 'but', 'of', 'in', 'on', 'at', 'for', 'by', 'to', 'from',
  'with', 'under', 'through', 'via', 'over', 'into', 'only', 'even', 'not', 'whether', 'than', 'as',
  'due', 'such', 'namely', 'including', 'especially', 'both', 'either', 'neither', 'between', 'that',
  'which', 'whose', 'e.g.', 'i.e.', 'vs.', 'is', 'are', 'was', 'were', 'be', 'its', 'their', 'our',
]);

/** First words of introductory phrases that end at the first comma and are not clauses themselves. */
const INTRODUCTORY_OPENERS = new Set([
  'unlike', 'although', 'though', 'while', 'whereas', 'despite', 'to', 'in', 'across', 'on', 'for',
  'by', 'with', 'without', 'since', 'because', 'when', 'whenever', 'as', 'after', 'before', 'given',
  'based', 'compared', 'building', 'using', 'if', 'beyond', 'through', 'motivated', 'inspired',
  'leveraging', 'following', 'under', 'among', 'at', 'from', 'toward', 'towards', 'upon', 'via',
  'during', 'within', 'unless', 'once', 'here', 'specifically', 'moreover', 'furthermore',
  'however', 'additionally', 'finally', 'importantly', 'notably', 'consequently', 'thus',
  'therefore', 'overall', 'hence', 'recently', 'traditionally', 'typically', 'besides', 'instead',
]);

/** Words that typically start the main clause after an introductory phrase ("..., we propose"). */
const CLAUSE_SUBJECTS = new Set([
  'we', 'our', 'the', 'this', 'these', 'those', 'it', 'its', 'they', 'their', 'there', 'such', 'a',
  'an', 'one', 'each', 'both', 'all', 'most', 'many', 'existing', 'prior', 'recent', 'current', 'i',
]);

/**
 * A crude finite-verb test, enough to reject cuts that end inside a subject ("Our method, which
 * ..." → "Our method."): an auxiliary, a pronoun subject followed by a word, or a common abstract
 * verb in third-person or past form.
 */
const AUXILIARY = /\b(?:is|are|was|were|be|been|has|have|had|can|cannot|could|may|might|will|would|should|must|does|do|did)\b/i;
const PRONOUN_AND_VERB = /\b(?:we|they|it|he|she)\s+(?:\p{L}+ly\s+)?\p{L}{2,}/iu;
const COMMON_VERB =
  /\b(?:achiev|outperform|improv|reduc|show|demonstrat|propos|introduc|present|provid|enabl|allow|us|combin|leverag|learn|requir|rel|yield|produc|generat|captur|extract|integrat|employ|consist|compris|perform|obtain|reach|surpass|exceed|match|maintain|preserv|increas|decreas|identif|reveal|suggest|indicat|confirm|establish|predict|estimat|comput|model|represent|address|tackl|solv|offer|support|exhibit|depend|struggl|suffer|fail|lack|pos|fac|limit|hinder|mak|tak|giv|becom|serv|operat|work|run|scal|converg|attain|deliver|boost|accelerat|mitigat|alleviat|refram|distill|incorporat|utiliz|utilis|adopt|appl|build|construct|design|develop|train|evaluat|analyz|analys|stud|investigat|explor|examin|extend|generaliz|unif|formulat|lead|result|emerg|outlin|find|bridg|clos|fill|enhanc|optimiz|optimis|exploit|encod|decod|align|transform|map|cast|treat|view|consider|aim|seek|focus|contain|includ|involv|form|control|determin|describ|guarantee|prov|deriv|remain|rais|open|pav|highlight|underscor|emphasiz|ensur|balanc|fus|inject|embed|fine-tun|partition|cluster|compar|assess|measur|test|quantif|characteriz|captur|select|assign|predict)(?:es|s|ed|d|ies|ied)\b|\b(?:found|led|made|took|gave|became|ran|built|sought|drew|saw|held|kept|brought|began|grew|met|won|lost)\b/i;

/** Where the first finite verb (as hasFiniteVerb sees it) ends, or Infinity. */
function firstFiniteVerbEnd(text: string): number {
  let end = Number.POSITIVE_INFINITY;
  for (const pattern of [AUXILIARY, PRONOUN_AND_VERB, COMMON_VERB]) {
    const match = pattern.exec(text);
    if (match !== null) end = Math.min(end, match.index + match[0].length);
  }
  return end;
}

function hasFiniteVerb(text: string): boolean {
  return AUXILIARY.test(text) || PRONOUN_AND_VERB.test(text) || COMMON_VERB.test(text);
}

function wordBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && text[start - 1] !== ' ') start--;
  return text.slice(start, index).toLowerCase();
}

function markerAt(sentence: string, i: number): { marker: string; kind: BoundaryKind } | undefined {
  const ch = sentence[i];
  if (ch === ';' || ch === ':') {
    const marker = PUNCTUATION_MARKERS.find((candidate) => sentence.startsWith(candidate, i));
    return marker === undefined ? undefined : { marker, kind: 'standalone' };
  }
  if (ch === ',') {
    if (sentence[i + 1] !== ' ') return undefined;
    const standalone = STANDALONE_COMMA_MARKERS.find((marker) => sentence.startsWith(marker, i));
    if (standalone !== undefined) return { marker: standalone, kind: 'standalone' };
    const dependent = DEPENDENT_COMMA_MARKERS.find((marker) => sentence.startsWith(marker, i));
    if (dependent !== undefined) return { marker: dependent, kind: 'dependent' };
    const next = wordAt(sentence, i + 2).toLowerCase();
    const startsClause = COMMA_CLAUSE_STARTERS.has(next) || (next.length > 4 && next.endsWith('ing'));
    return { marker: ', ', kind: startsClause ? 'comma' : 'phrase' };
  }
  if (ch !== ' ') return undefined;
  const dash = DASH_MARKERS.find((marker) => sentence.startsWith(marker, i));
  if (dash !== undefined) return { marker: dash, kind: 'standalone' };
  const next = wordAt(sentence, i + 1);
  if (sentence[i + 1 + next.length] !== ' ') return undefined;
  const isSubordinate = SUBORDINATE_WORDS.has(next);
  if (!isSubordinate && !PREPOSITION_WORDS.has(next)) return undefined;
  if (BINDING_WORDS.has(wordBefore(sentence, i))) return undefined;
  return { marker: ' ', kind: isSubordinate ? 'subordinate' : 'preposition' };
}

/** All candidate cuts of a sentence, left to right, at bracket depth 0 outside LaTeX and URLs. */
function findClauseBoundaries(sentence: string): ClauseBoundary[] {
  const isProtected = protectionMask(sentence, findProtectedSpans(sentence));
  const boundaries: ClauseBoundary[] = [];
  let depth = 0;
  for (let i = 0; i < sentence.length; i++) {
    const ch = sentence[i];
    if (isProtected[i] === 1) continue;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    if (depth > 0 || (ch !== ';' && ch !== ':' && ch !== ',' && ch !== ' ')) continue;
    const found = markerAt(sentence, i);
    if (found === undefined) continue;
    // After ", which ..." / ", and ..." the next clause starts at the connective word;
    // after "; ", ": " or a dash it starts after the punctuation.
    const { marker, kind } = found;
    const resume = marker.startsWith(', ') ? i + 2 : i + marker.length;
    if (isProtected[resume] === 1) continue;
    const closesList =
      (marker === ', and ' || marker === ', or ') && markEnumeration(sentence, boundaries, i);
    boundaries.push({ cut: i, resume, kind: closesList ? 'list' : kind });
  }
  markIntroductoryPhrase(sentence, boundaries);
  return boundaries;
}

/** Most words one item of an enumeration may have ("COCO photographs, CelebA-HQ portraits, and"). */
const MAX_LIST_ITEM_WORDS = 8;

/**
 * If the ", and"/", or" at `at` closes an enumeration of short comma-separated items, marks those
 * commas as `list` and returns true.
 */
function markEnumeration(sentence: string, boundaries: ClauseBoundary[], at: number): boolean {
  let end = at;
  let marked = false;
  for (let k = boundaries.length - 1; k >= 0; k--) {
    const previous = boundaries[k];
    const isComma = previous?.kind === 'comma' || previous?.kind === 'phrase' || previous?.kind === 'list';
    if (previous === undefined || !isComma) break;
    if (countWords(sentence.slice(previous.resume, end)) > MAX_LIST_ITEM_WORDS) break;
    previous.kind = 'list';
    marked = true;
    end = previous.cut;
  }
  return marked;
}

/**
 * Marks the boundaries of a leading introductory phrase as `intro`. The phrase ends at the first
 * comma followed by a likely subject ("Unlike costly, paired methods, our approach ..."), else at
 * the first comma or clause boundary.
 */
function markIntroductoryPhrase(sentence: string, boundaries: ClauseBoundary[]): void {
  const firstWord = /^\p{L}+/u.exec(sentence)?.[0]?.toLowerCase();
  if (firstWord === undefined || !INTRODUCTORY_OPENERS.has(firstWord)) return;
  const endsPhrase = (boundary: ClauseBoundary): boolean =>
    boundary.kind !== 'subordinate' && boundary.kind !== 'preposition';
  const startsClause = (boundary: ClauseBoundary): boolean => {
    const next = wordAt(sentence, boundary.resume);
    return CLAUSE_SUBJECTS.has(next.toLowerCase()) || /^\p{Lu}/u.test(next);
  };
  const phraseEnd =
    boundaries.find((boundary) => endsPhrase(boundary) && startsClause(boundary)) ??
    boundaries.find(endsPhrase);
  if (phraseEnd === undefined) return;
  for (const boundary of boundaries) {
    if (boundary.cut > phraseEnd.cut) return;
    boundary.kind = 'intro';
  }
}

/** Whitespace-separated words, counted without allocating (this runs for every candidate piece). */
function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160 || (code > 0x1fff && /\s/.test(text[i] as string));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Ends a clause cut from a longer sentence with a single period. */
function closeClause(prefix: string): string {
  const trimmed = prefix.replace(/[\s,;:—–-]+$/, '');
  return /[.!?…]['")\]”’]*$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Whether the text before `cut` reads as a complete clause: has a verb, does not dangle. */
function isCompleteClause(text: string, cut: number): boolean {
  const head = text.slice(0, cut);
  return !BINDING_WORDS.has(wordBefore(text, cut)) && hasFiniteVerb(head);
}

/** A first clause up to this multiple of maxChars is preferred over cutting at a plain comma. */
const SLIGHTLY_LONG = 1.5;

/** Shortest first clause we accept, so a shortening never collapses to "We propose X." fragments. */
const MIN_CLAUSE_WORDS = 5;

const SHORTENING_KINDS: ReadonlySet<BoundaryKind> = new Set(['standalone', 'dependent', 'comma']);

/**
 * Shortens a sentence longer than `maxChars` at a clause boundary, keeping the first clause(s) and
 * ending with a period. The result without its final period is always a prefix of the sentence;
 * cuts happen only before clause punctuation or connectives, never inside a word, a number,
 * brackets, LaTeX, a URL or an enumeration, and only where the prefix is a complete clause.
 * Preference: the longest prefix within maxChars ending at a clause boundary; else a first clause
 * up to 1.5 × maxChars; else the longest prefix ending at a comma; else the shortest over-long
 * prefix. A sentence with no such boundary is returned unchanged (an over-long sentence is better
 * than an invented or broken one).
 */
export function shortenSentence(sentence: string, maxChars = 200): string {
  const text = collapseWhitespace(sentence);
  if (text.length <= maxChars) return text;
  const boundaries = findClauseBoundaries(text).filter(
    (boundary) =>
      SHORTENING_KINDS.has(boundary.kind) &&
      countWords(text.slice(0, boundary.cut)) >= MIN_CLAUSE_WORDS &&
      isCompleteClause(text, boundary.cut),
  );
  const length = (boundary: ClauseBoundary): number => closeClause(text.slice(0, boundary.cut)).length;
  const clauseBoundaries = boundaries.filter((boundary) => boundary.kind !== 'comma');
  const commas = boundaries.filter((boundary) => boundary.kind === 'comma');
  const firstClause = clauseBoundaries[0];
  const chosen =
    clauseBoundaries.filter((boundary) => length(boundary) <= maxChars).at(-1) ??
    (firstClause !== undefined && length(firstClause) <= maxChars * SLIGHTLY_LONG ? firstClause : undefined) ??
    commas.filter((boundary) => length(boundary) <= maxChars).at(-1) ??
    firstClause ??
    commas[0];
  return chosen === undefined ? text : closeClause(text.slice(0, chosen.cut));
}

function capitalise(text: string): string {
  const first = text[0];
  return first === undefined ? text : first.toUpperCase() + text.slice(1);
}

/** Leading connectives dropped when a clause is lifted out to stand alone ("and we show" → "We show"). */
const LEADING_CONNECTIVE = /^(?:and|or|but|yet|while|whereas)\s+/i;

/** Fewest words either half of a clause split must keep, so no half is a stray word or two. */
const MIN_SPLIT_WORDS = 3;

/** How clean a split is, best first: a lifted-out tail should read as a sentence if it can. */
const SPLIT_RANK: Record<BoundaryKind, number> = {
  standalone: 1,
  comma: 2,
  dependent: 3,
  subordinate: 3,
  phrase: 4,
  preposition: 4,
  list: Number.POSITIVE_INFINITY,
  intro: Number.POSITIVE_INFINITY,
};

/** Rank added when a half lacks a verb or ends on a dangling word. */
const INCOMPLETE_PENALTY = 2;

export interface ClauseSplit {
  /** The two halves, each ending with terminal punctuation and starting with a capital. */
  pieces: [string, string];
  /** Lower is cleaner: 1 = two complete clauses split at ";" or ", and"; 2 = at a comma; higher = last resorts. */
  rank: number;
}

/**
 * Splits a sentence in two at its cleanest clause boundary nearest the middle, or returns null.
 * Each half is a piece of the original text (minus a leading connective such as "and"), closed
 * with a period and capitalised; used when an abstract has too few sentences for four highlights.
 */
export function splitAtClause(sentence: string): ClauseSplit | null {
  const text = collapseWhitespace(sentence);
  const middle = text.length / 2;
  let best: { pieces: [string, string]; rank: number; distance: number } | undefined;
  for (const boundary of findClauseBoundaries(text)) {
    const kindRank = SPLIT_RANK[boundary.kind];
    if (kindRank === Number.POSITIVE_INFINITY) continue;
    const head = closeClause(text.slice(0, boundary.cut));
    const tail = capitalise(closeClause(text.slice(boundary.resume).replace(LEADING_CONNECTIVE, '')));
    if (countWords(head) < MIN_SPLIT_WORDS || countWords(tail) < MIN_SPLIT_WORDS) continue;
    // Halves that do not read as clauses are a last resort, whatever the boundary.
    const rank =
      kindRank +
      (isCompleteClause(text, boundary.cut) ? 0 : INCOMPLETE_PENALTY) +
      (hasFiniteVerb(tail) ? 0 : INCOMPLETE_PENALTY);
    const distance = Math.abs(boundary.cut - middle);
    if (best === undefined || rank < best.rank || (rank === best.rank && distance < best.distance)) {
      best = { pieces: [head, tail], rank, distance };
    }
  }
  return best === undefined ? null : { pieces: best.pieces, rank: best.rank };
}

// ---------------------------------------------------------------------------------------------
// One line: a sentence cut down to a highlight-sized piece of itself.
// ---------------------------------------------------------------------------------------------

/**
 * A lead-in that frames a finding instead of stating it ("Extensive experiments on three benchmarks
 * show that ..."): the finding after "that" is the line. Only frames without inner punctuation, so
 * the dropped part is never a clause of its own.
 */
const FINDING_FRAME =
  /^[^,;:()$]{0,120}?\b(?:show|shows|showed|shown|demonstrate|demonstrates|demonstrated|reveal|reveals|revealed|indicate|indicates|confirm|confirms|find|finds|found|suggest|suggests|observe|observes|verify|verifies|prove|proves|establish|establishes)\s+that\s+/i;

/** Fewest words a lifted-out piece must keep to read as a claim. */
const MIN_LINE_WORDS = 4;

/** Cuts a one-line piece may end at, cleanest first; `list` and `intro` never. */
const LINE_CUT_KINDS: ReadonlyArray<ReadonlySet<BoundaryKind>> = [
  new Set(['standalone', 'dependent', 'comma', 'subordinate', 'preposition']),
  new Set(['phrase']),
];

/** The text with a leading introductory phrase or finding frame dropped, when a clause remains. */
export function withoutLeadIn(text: string): string {
  const frame = FINDING_FRAME.exec(text);
  if (frame !== null) {
    const rest = text.slice(frame[0].length);
    if (countWords(rest) >= MIN_LINE_WORDS && hasFiniteVerb(rest)) return capitalise(rest);
  }
  const firstWord = /^\p{L}+/u.exec(text)?.[0]?.toLowerCase();
  if (firstWord === undefined || !INTRODUCTORY_OPENERS.has(firstWord)) return text;
  const intro = findClauseBoundaries(text).filter((boundary) => boundary.kind === 'intro').at(-1);
  if (intro !== undefined) {
    const rest = text.slice(intro.resume);
    const subject = wordAt(rest, 0).toLowerCase();
    if (CLAUSE_SUBJECTS.has(subject) && countWords(rest) >= MIN_LINE_WORDS && hasFiniteVerb(rest)) {
      return capitalise(rest);
    }
  }
  return text;
}

/**
 * The last cut at or before `maxWords` words: a space at bracket depth 0, outside LaTeX and URLs,
 * not after a word that binds to what follows. The last resort for a sentence with no clause cut.
 */
function cutAtWord(text: string, maxWords: number): string {
  const isProtected = protectionMask(text, findProtectedSpans(text));
  let depth = 0;
  let words = 1;
  let best = -1;
  for (let i = 0; i < text.length && words <= maxWords; i++) {
    const ch = text[i];
    if (isProtected[i] === 1) continue;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    if (ch !== ' ') continue;
    if (depth === 0 && !BINDING_WORDS.has(wordBefore(text, i))) best = i;
    words++;
  }
  if (best === -1) return closeClause(text.split(' ').slice(0, maxWords).join(' '));
  return closeClause(text.slice(0, best));
}

/** Scores a candidate line: higher is better. Lines are compared only among pieces of one sentence. */
export type LineScorer = (line: string) => number;

/** Where a lifted-out piece may start: the sentence start, or after "; ", ": ", ", and", ", enabling"... */
function pieceStarts(text: string, boundaries: readonly ClauseBoundary[]): number[] {
  const starts = [0];
  for (const boundary of boundaries) {
    if (boundary.kind === 'standalone') starts.push(boundary.resume);
    // ", enabling ...", ", achieving ...": a participle phrase reads as a highlight ("Achieving 2x ...").
    if (boundary.kind === 'dependent' && /^\p{L}+ing\b/u.test(text.slice(boundary.resume))) starts.push(boundary.resume);
  }
  return starts;
}

/**
 * One line of at most `maxWords` words taken from a sentence, preferring at most `preferredWords`,
 * first without its framing lead-in ("To this end, we ..." → "We ...", "Results show that X ..." →
 * "X ..."). Without a scorer: the longest head of the sentence that ends at a clause boundary and
 * is a complete clause. With one: of all pieces that start at a clause start and end at a clause
 * boundary, within the preferred length if any is (else within the maximum), the best scoring.
 * Always a contiguous piece of the sentence (first letter possibly capitalised), closed with a
 * period; never longer than `maxWords` words.
 */
/** Words a clause taken from inside a sentence may start with and still carry its subject. */
const SUBJECT_START = /^(we|our|this|these|that|it|its|they|their|the|a|an|such|each|both|all|most|experiments|results)\b/i;

export function compressToLine(sentence: string, preferredWords: number, maxWords: number, scorer?: LineScorer): string {
  const text = withoutLeadIn(collapseWhitespace(sentence));
  if (countWords(text) <= preferredWords) return text;
  const boundaries = findClauseBoundaries(text);
  if (scorer !== undefined) {
    const pieces: string[] = [];
    // Whether a piece may end at a cut depends on the text before the cut only: a finite verb
    // before it (found once for the whole sentence) and no dangling last word.
    const verbEnd = firstFiniteVerbEnd(text);
    const ends = boundaries.filter(
      (boundary) =>
        LINE_CUT_KINDS[0]?.has(boundary.kind) === true &&
        verbEnd <= boundary.cut &&
        !BINDING_WORDS.has(wordBefore(text, boundary.cut)),
    );
    for (const start of pieceStarts(text, boundaries)) {
      const tail = text.slice(start);
      // A piece from inside the sentence must bring its own subject: "while fundamental to X, remains
      // challenging" (measured on 2606.15966) is not a line a reader can parse.
      if (start > 0 && !SUBJECT_START.test(tail)) continue;
      if (start > 0 && countWords(tail) <= maxWords) pieces.push(capitalise(tail));
      for (const end of ends) {
        if (end.cut > start) pieces.push(capitalise(closeClause(text.slice(start, end.cut))));
      }
    }
    const sized = pieces
      .map((piece) => ({ piece, words: countWords(piece) }))
      .filter(({ words }) => words >= MIN_LINE_WORDS && words <= maxWords);
    for (const limit of [preferredWords, maxWords]) {
      let winner: string | undefined;
      let winnerScore = -Infinity;
      for (const { piece, words } of sized) {
        if (words > limit) continue;
        const score = scorer(piece);
        if (score > winnerScore) {
          winner = piece;
          winnerScore = score;
        }
      }
      if (winner !== undefined) return winner;
    }
  }
  for (const kinds of LINE_CUT_KINDS) {
    const heads = boundaries
      .filter((boundary) => kinds.has(boundary.kind) && isCompleteClause(text, boundary.cut))
      .map((boundary) => closeClause(text.slice(0, boundary.cut)))
      .filter((head) => countWords(head) >= MIN_LINE_WORDS);
    const withinPreferred = heads.filter((head) => countWords(head) <= preferredWords).at(-1);
    if (withinPreferred !== undefined) return withinPreferred;
    const withinMax = heads.find((head) => countWords(head) <= maxWords);
    if (withinMax !== undefined) return withinMax;
  }
  return countWords(text) <= maxWords ? text : cutAtWord(text, maxWords);
}
