/**
 * Sentence and clause handling for abstracts: splitting into sentences, cleanly shortening an
 * over-long sentence, and cutting a sentence into clauses. Everything returned is a piece of the
 * input text (whitespace collapsed), so summaries built from it never contain invented words.
 *
 * All scans are linear over the text; no backtracking-heavy regular expressions.
 */

/** A half-open character range [start, end) that must never be split: inline LaTeX or a URL. */
interface Span {
  start: number;
  end: number;
}

/**
 * Abbreviations (lower-cased, with their final period) whose period never ends a sentence, even
 * when a capital letter or a number follows ("e.g. BERT", "Fig. 3", "Smith et al. (2020)").
 * "etc." is deliberately absent: it ends sentences often enough ("A, B, etc. We ...").
 */
const ABBREVIATIONS = new Set([
  'e.g.', 'i.e.', 'al.', 'vs.', 'v.s.', 'cf.', 'fig.', 'figs.', 'eq.', 'eqs.', 'approx.', 'resp.',
  'sec.', 'secs.', 'tab.', 'ref.', 'refs.', 'thm.', 'lem.', 'prop.', 'def.', 'cor.', 'ch.', 'pp.',
  'vol.', 'ca.', 'esp.', 'incl.', 'viz.', 'w.r.t.', 'wrt.', 'a.k.a.', 'dr.', 'mr.', 'mrs.', 'ms.',
  'prof.', 'jr.', 'sr.', 'st.', 'inc.', 'ltd.', 'corp.', 'approx.', 'max.', 'min.', 'no.',
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

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

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

/**
 * What kind of boundary a clause cut is, which decides how it may be used:
 * - `standalone`: "; ", ": ", dashes, ", and", ", but": the text after it can stand alone;
 * - `dependent`: ", which", ", enabling": a clean place to end, but what follows leans on the head;
 * - `comma`: any other comma;
 * - `subordinate`/`preposition`: before "if", "where" / "by", "using": last-resort split points;
 * - `list`: commas and ", and" inside an enumeration ("A, B, and C"): never cut there;
 * - `intro`: the end of an introductory phrase ("Unlike prior methods that ..., we"): never cut
 *   there, since what precedes it is not a clause.
 */
type BoundaryKind =
  | 'standalone'
  | 'dependent'
  | 'comma'
  | 'subordinate'
  | 'preposition'
  | 'list'
  | 'intro';

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

/** A place where a sentence can be cut: text before `cut` is one clause, text from `resume` on the next. */
interface ClauseBoundary {
  cut: number;
  resume: number;
  kind: BoundaryKind;
}

/** Boundary markers, matched at bracket depth 0 outside LaTeX/URLs. */
const STANDALONE_MARKERS = [
  ', or ', '; ', ': ', ' — ', ' – ', ' -- ', ', and ', ', but ', ', yet ', ', while ', ', whereas ',
];
const DEPENDENT_MARKERS = [
  ', which ', ', where ', ', thereby ', ', thus ', ', enabling ', ', allowing ', ', leading to ',
  ', resulting in ', ', yielding ', ', achieving ', ', making ', ', so that ', ', as ', ', with ',
];
const SUBORDINATE_WORDS = [' where ', ' which ', ' because ', ' since ', ' if ', ' whereas ', ' while '];
const PREPOSITION_WORDS = [' by ', ' using ', ' via ', ' through ', ' with ', ' for ', ' to '];

/** Words that bind to what follows ("for which", "if and only if"): never split right after them. */
const BINDING_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'nor', 'of', 'in', 'on', 'at', 'for', 'by', 'to', 'from', 'with',
  'under', 'through', 'via', 'over', 'into', 'only', 'even', 'not', 'whether', 'than', 'as',
]);

function wordBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && text[start - 1] !== ' ') start--;
  return text.slice(start, index).toLowerCase();
}

function markerAt(sentence: string, i: number): { marker: string; kind: BoundaryKind } | undefined {
  const standalone = STANDALONE_MARKERS.find((marker) => sentence.startsWith(marker, i));
  if (standalone !== undefined) return { marker: standalone, kind: 'standalone' };
  const dependent = DEPENDENT_MARKERS.find((marker) => sentence.startsWith(marker, i));
  if (dependent !== undefined) return { marker: dependent, kind: 'dependent' };
  if (sentence.startsWith(', ', i)) return { marker: ', ', kind: 'comma' };
  if (BINDING_WORDS.has(wordBefore(sentence, i))) return undefined;
  const subordinate = SUBORDINATE_WORDS.find((word) => sentence.startsWith(word, i));
  if (subordinate !== undefined) return { marker: ' ', kind: 'subordinate' };
  const preposition = PREPOSITION_WORDS.find((word) => sentence.startsWith(word, i));
  if (preposition !== undefined) return { marker: ' ', kind: 'preposition' };
  return undefined;
}

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
    if (marker === ', and ' || marker === ', or ') {
      if (markEnumeration(sentence, boundaries, i)) {
        boundaries.push({ cut: i, resume, kind: 'list' });
        continue;
      }
    }
    boundaries.push({ cut: i, resume, kind });
  }
  markIntroductoryPhrase(sentence, boundaries);
  return boundaries;
}

/** Most words one item of an enumeration may have ("COCO photographs, CelebA-HQ portraits, and"). */
const MAX_LIST_ITEM_WORDS = 5;

/**
 * If the ", and"/", or" at `at` closes an enumeration of short comma-separated items, marks those
 * commas as `list` and returns true.
 */
function markEnumeration(sentence: string, boundaries: ClauseBoundary[], at: number): boolean {
  let end = at;
  let marked = false;
  for (let k = boundaries.length - 1; k >= 0; k--) {
    const previous = boundaries[k];
    if (previous === undefined || (previous.kind !== 'comma' && previous.kind !== 'list')) break;
    if (countWords(sentence.slice(previous.resume, end)) > MAX_LIST_ITEM_WORDS) break;
    previous.kind = 'list';
    marked = true;
    end = previous.cut;
  }
  return marked;
}

function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Ends a clause cut from a longer sentence with a single period. */
function closeClause(prefix: string): string {
  const trimmed = prefix.replace(/[\s,;:—–-]+$/, '');
  return /[.!?…]['")\]”’]*$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** A first clause up to this multiple of maxChars is preferred over cutting at a plain comma. */
const SLIGHTLY_LONG = 1.5;

/** Shortest first clause we accept, so a shortening never collapses to "We propose X." fragments. */
const MIN_CLAUSE_WORDS = 5;

/**
 * Shortens a sentence longer than `maxChars` at a clause boundary, keeping the first clause(s) and
 * ending with a period. The result without its final period is always a prefix of the sentence;
 * cuts happen only before clause punctuation or connectives, so never inside a word, a number,
 * brackets, LaTeX or a URL. Preference: the longest prefix within maxChars ending at a clause
 * boundary; else a first clause up to 1.5 × maxChars; else the longest prefix ending at a plain
 * comma; else the shortest over-long prefix. A sentence with no boundary at all is returned
 * unchanged (an over-long sentence is better than an invented or broken one).
 */
export function shortenSentence(sentence: string, maxChars = 200): string {
  const text = collapseWhitespace(sentence);
  if (text.length <= maxChars) return text;
  const boundaries = findClauseBoundaries(text).filter(
    (boundary) =>
      boundary.kind !== 'subordinate' &&
      boundary.kind !== 'preposition' &&
      boundary.kind !== 'list' &&
      boundary.kind !== 'intro' &&
      countWords(text.slice(0, boundary.cut)) >= MIN_CLAUSE_WORDS,
  );
  if (boundaries.length === 0) return text;
  const length = (boundary: ClauseBoundary): number => closeClause(text.slice(0, boundary.cut)).length;
  const clauseBoundaries = boundaries.filter((boundary) => boundary.kind !== 'comma');
  const commas = boundaries.filter((boundary) => boundary.kind === 'comma');
  // Best: the longest prefix that fits and ends at a real clause boundary. A plain comma may sit
  // inside a list ("spanning A, B, and C"), so a slightly long first clause beats a comma cut.
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
  preposition: 4,
  list: Number.POSITIVE_INFINITY,
  intro: Number.POSITIVE_INFINITY,
};

export interface ClauseSplit {
  /** The two halves, each ending with terminal punctuation and starting with a capital. */
  pieces: [string, string];
  /** 1 = at a stand-alone clause boundary (";", ", and"), 2 = at a comma, 3-4 = last resorts. */
  rank: number;
}

/**
 * Splits a sentence in two at its cleanest clause boundary nearest the middle, or returns null.
 * Each half is a piece of the original text (minus a leading connective such as "and"), closed
 * with a period and capitalised; used when an abstract has too few sentences for four highlights.
 */
export function splitAtClause(sentence: string): ClauseSplit | null {
  const text = collapseWhitespace(sentence);
  const candidates = findClauseBoundaries(text)
    .filter((boundary) => SPLIT_RANK[boundary.kind] !== Number.POSITIVE_INFINITY)
    .map((boundary) => {
      const head = closeClause(text.slice(0, boundary.cut));
      const tail = text.slice(boundary.resume).replace(LEADING_CONNECTIVE, '');
      return { boundary, head, tail: capitalise(closeClause(tail)) };
    })
    .filter(({ head, tail }) => countWords(head) >= MIN_SPLIT_WORDS && countWords(tail) >= MIN_SPLIT_WORDS);
  if (candidates.length === 0) return null;
  const middle = text.length / 2;
  let best = candidates[0];
  for (const candidate of candidates.slice(1)) {
    if (best === undefined) break;
    const rank = SPLIT_RANK[candidate.boundary.kind];
    const bestRank = SPLIT_RANK[best.boundary.kind];
    const better =
      rank < bestRank ||
      (rank === bestRank &&
        Math.abs(candidate.boundary.cut - middle) < Math.abs(best.boundary.cut - middle));
    if (better) best = candidate;
  }
  if (best === undefined) return null;
  return { pieces: [best.head, best.tail], rank: SPLIT_RANK[best.boundary.kind] };
}
