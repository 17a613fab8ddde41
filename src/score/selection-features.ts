/**
 * What the selection model reads of a paper: only what is known when it is announced (its text,
 * comment, authors, categories, how new it is to the store, its authors' earlier papers), never
 * popularity. The same function serves training (on listing files) and scoring (on stored papers),
 * so the model sees the same features in both.
 */
import { stemPlural, STOPWORDS } from './text-index.ts';

export interface SelectionFeatureInput {
  title: string;
  abstract: string;
  comment: string | null;
  authorCount: number;
  /** Primary category first. */
  categories: readonly string[];
  /** A code link was found for the paper at ingest (the listings have no such column; their text is searched instead). */
  hasCode: boolean;
  /** Most earlier papers of any one of its authors known (store or earlier listings); null when unknown. */
  authorPriorPapers: number | null;
}

/** The named (dense) features, each with the words that say what it measured. */
export const DENSE_FEATURES = [
  'authors',
  'venue',
  'projectPage',
  'code',
  'huggingFace',
  'primaryCV',
  'primaryCL',
  'primaryAI',
  'primaryLG',
  'crossLG',
  'crossCL',
  'crossCV',
  'categories',
  'numbers',
  'namedMethod',
  'abstractLength',
  'trackRecord',
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];

export interface SelectionFeatures {
  dense: Record<DenseFeature, number>;
  /** Distinct stemmed content words of title and abstract (the model keeps those of its vocabulary). */
  words: string[];
}

const VENUE =
  /\b(?:accepted|to appear|camera[- ]ready|published)\b|\b(?:NeurIPS|ICML|ICLR|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|COLING|AAAI|IJCAI|KDD|SIGGRAPH|WACV|BMVC|MICCAI|CoRL|RSS|ICRA|IROS|TMLR|JMLR|TPAMI|COLM)\s?['’]?\d{2,4}\b/i;
const PROJECT_PAGE = /github\.io|project page|project website|\bwebpage\b|https?:\/\/(?!(?:www\.)?(?:github|gitlab|huggingface)\.)/i;
const CODE_LINK = /github\.com|gitlab\.com|huggingface\.co/i;
const CODE_MENTION =
  /\b(?:code|implementation|models?|data(?:sets?)?|weights|benchmark|checkpoints?)\b[^.]{0,60}\b(?:available|released|open[- ]?sourced?|publicly)\b|\bwe (?:release|open-source|open source)\b/i;
const HUGGING_FACE = /huggingface\.co|hugging face/i;
const NUMERIC_RESULT =
  /\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:%|×|x\b|-?fold\b|times\b|points?\b|pp\b|BLEU\b|F1\b|ROUGE|accuracy\b|AUC\b|mAP\b|speed-?up\b)|\bby\s(?:up\sto\s)?\d+(?:\.\d+)?\b/gi;
/** A coined method name opening the title ("FooNet: …", "LLaMA-X: …"): papers that name what they built. */
const NAMED_METHOD = /^\s*[A-Za-z0-9-]*(?:[A-Z][a-z0-9-]*[A-Z]|[A-Z]{2,})[A-Za-z0-9-]*\s*:/;
const WORD = /[a-z][a-z0-9]+(?:-[a-z0-9]+)*/g;

/** Distinct stemmed words of three or more characters, stopwords left out. */
export function contentWords(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    if (STOPWORDS.has(match[0])) continue; // before stemming, which would turn "this" into "thi"
    const word = stemPlural(match[0]);
    if (word.length >= 3 && !STOPWORDS.has(word)) out.add(word);
  }
  return [...out];
}

export function selectionFeatures(input: SelectionFeatureInput): SelectionFeatures {
  const comment = input.comment ?? '';
  const both = `${input.abstract}\n${comment}`;
  const categories = [...new Set(input.categories)];
  const primary = categories[0] ?? '';
  const cross = new Set(categories.slice(1));
  const words = input.abstract.split(/\s+/).filter(Boolean).length;
  const flag = (value: boolean): number => (value ? 1 : 0);
  return {
    dense: {
      authors: Math.log1p(input.authorCount),
      venue: flag(VENUE.test(comment)),
      projectPage: flag(PROJECT_PAGE.test(both)),
      code: flag(input.hasCode || CODE_LINK.test(both) || CODE_MENTION.test(both)),
      huggingFace: flag(HUGGING_FACE.test(both)),
      primaryCV: flag(primary === 'cs.CV'),
      primaryCL: flag(primary === 'cs.CL'),
      primaryAI: flag(primary === 'cs.AI'),
      primaryLG: flag(primary === 'cs.LG'),
      crossLG: flag(cross.has('cs.LG')),
      crossCL: flag(cross.has('cs.CL')),
      crossCV: flag(cross.has('cs.CV')),
      categories: Math.min(4, categories.length),
      numbers: Math.min(4, (input.abstract.match(NUMERIC_RESULT) ?? []).length),
      namedMethod: flag(NAMED_METHOD.test(input.title)),
      abstractLength: Math.log1p(words),
      trackRecord: Math.log1p(Math.min(20, input.authorPriorPapers ?? 0)),
    },
    words: contentWords(`${input.title}\n${input.abstract}`),
  };
}
