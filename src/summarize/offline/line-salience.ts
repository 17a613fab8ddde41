/**
 * Which piece of a sentence makes the best one-line highlight: the one that carries most of what the
 * paper is about. A word's weight is how often the abstract uses it (up to a cap) plus a bonus when
 * the title uses it; each word counts once per piece (a repeated word says nothing new), function
 * words count a little (a line needs them to read); within the length the caller allows, the piece
 * with most of the paper's words wins. The weights were chosen on the ACLSum train
 * split (highlights joined vs the experts' challenge, approach and outcome), never on val.
 */
import type { LineScorer } from '../sentences.ts';
import { cachedPorterStem } from './porter-stemmer.ts';

const FUNCTION_WORDS = new Set(
  (
    'a an the of for in on to and or with by from via is are be been as at we our this that these those it its ' +
    'their they which while than then also can may into over under such both each not no more most other'
  ).split(' '),
);

const MAX_COUNT = 3;
const TITLE_BONUS = 2;
const FUNCTION_WORD_WEIGHT = 0.3;

const WORD = /[a-z][a-z0-9-]*|\d+(?:[.,]\d+)*%?/g;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

const stemOf = (word: string): string => (word.length > 3 ? cachedPorterStem(word) : word);

export function salienceScorer(title: string, abstract: string): LineScorer {
  const counts = new Map<string, number>();
  for (const word of words(abstract)) {
    if (FUNCTION_WORDS.has(word)) continue;
    const stem = stemOf(word);
    counts.set(stem, (counts.get(stem) ?? 0) + 1);
  }
  const inTitle = new Set(words(title).filter((word) => !FUNCTION_WORDS.has(word)).map(stemOf));
  return (line) => {
    const seen = new Set<string>();
    let score = 0;
    for (const word of words(line)) {
      if (FUNCTION_WORDS.has(word)) {
        score += FUNCTION_WORD_WEIGHT;
        continue;
      }
      const stem = stemOf(word);
      if (seen.has(stem)) continue;
      seen.add(stem);
      score += Math.min(counts.get(stem) ?? 0, MAX_COUNT) + (inTitle.has(stem) ? TITLE_BONUS : 0);
    }
    return score;
  };
}
