/**
 * Evaluation of the selection model (`npm run eval -- --selection DIR`): leave-one-day-out
 * cross-validation on the folder's labelled days. Each day's papers are ranked by a model trained on
 * the other days; the figure is the share of the day's featured papers that land in its top K (50, the
 * digest size), summed over days, and the same weighted by their upvotes. Baselines in the same run:
 * the expectation of a random pick of K, the K papers with most authors, and the best simple rule.
 */
import type { RecallFigures, SelectionFigures } from '../domain/scoring.ts';
import { stableHash } from '../score/stable-hash.ts';
import { selectionFeatures } from '../score/selection-features.ts';
import { DEFAULT_SELECTION_TRAINING, leaveOneDayOut, withFeatures, type SelectionTrainingOptions } from '../score/selection-training.ts';
import { readSelectionData, type SelectionPaper } from './selection-data.ts';

export const SELECTION_TOP_K = 50;

/**
 * recall: featured papers in the top K over all featured papers, all days together; upvoteRecall: the
 * same, each featured paper counted by its upvotes; meanDayRecall: the mean over days of the day's recall.
 */
export type { RecallFigures };

export interface SelectionEvalReport {
  dir: string;
  figures: SelectionFigures;
  options: SelectionTrainingOptions;
  seconds: number;
}

/** The best simple rule found on the training days (so its figure there is, if anything, flattering): more authors, released code or a project page, and a language or vision model topic. */
export const HEURISTIC_DESCRIPTION = 'log(1 + authors) + 1 if code or a project page + 1 if the title or abstract names a language, vision or multimodal model or an agent';
const MODEL_TOPIC = /\b(?:LLMs?|VLMs?|MLLMs?|language models?|vision[- ]language|multimodal|agents?|agentic|diffusion)\b/i;

export function heuristicScore(paper: SelectionPaper): number {
  const d = selectionFeatures(paper.input).dense;
  return d.authors + Math.max(d.code, d.projectPage) + (MODEL_TOPIC.test(`${paper.input.title} ${paper.input.abstract}`) ? 1 : 0);
}

/** Recall in the top k of each day, papers ranked by `score` (ties broken by a stable hash of the id, so no order of the file leaks in). */
export function recallAtK(papers: readonly SelectionPaper[], score: (p: SelectionPaper) => number, k: number): RecallFigures {
  const byDay = new Map<string, SelectionPaper[]>();
  for (const p of papers) byDay.set(p.day, [...(byDay.get(p.day) ?? []), p]);
  let hits = 0;
  let positives = 0;
  let hitVotes = 0;
  let votes = 0;
  const dayRecalls: number[] = [];
  for (const dayPapers of byDay.values()) {
    const ranked = dayPapers
      .map((p) => ({ p, s: score(p), tie: stableHash(p.id) }))
      .sort((a, b) => b.s - a.s || a.tie - b.tie)
      .map((x) => x.p);
    const top = new Set(ranked.slice(0, k));
    const dayPositives = dayPapers.filter((p) => p.label === 1);
    const dayHits = dayPositives.filter((p) => top.has(p));
    hits += dayHits.length;
    positives += dayPositives.length;
    hitVotes += dayHits.reduce((sum, p) => sum + p.upvotes, 0);
    votes += dayPositives.reduce((sum, p) => sum + p.upvotes, 0);
    if (dayPositives.length > 0) dayRecalls.push(dayHits.length / dayPositives.length);
  }
  return { recall: hits / Math.max(1, positives), upvoteRecall: hitVotes / Math.max(1, votes), meanDayRecall: dayRecalls.reduce((a, b) => a + b, 0) / Math.max(1, dayRecalls.length) };
}

/** What a uniformly random pick of k papers a day finds on average: each paper is in it with probability k / n. */
export function randomExpectation(papers: readonly SelectionPaper[], k: number): RecallFigures {
  const size = new Map<string, number>();
  for (const p of papers) size.set(p.day, (size.get(p.day) ?? 0) + 1);
  return expected(papers, (p) => Math.min(1, k / size.get(p.day)!));
}

function expected(papers: readonly SelectionPaper[], chance: (p: SelectionPaper) => number): RecallFigures {
  const positives = papers.filter((p) => p.label === 1);
  const votes = positives.reduce((sum, p) => sum + p.upvotes, 0);
  const days = [...new Set(positives.map((p) => p.day))];
  const dayRecall = (day: string): number => {
    const own = positives.filter((p) => p.day === day);
    return own.reduce((sum, p) => sum + chance(p), 0) / own.length;
  };
  return {
    recall: positives.reduce((sum, p) => sum + chance(p), 0) / Math.max(1, positives.length),
    upvoteRecall: positives.reduce((sum, p) => sum + chance(p) * p.upvotes, 0) / Math.max(1, votes),
    meanDayRecall: days.reduce((sum, d) => sum + dayRecall(d), 0) / Math.max(1, days.length),
  };
}

/** The model's figures from its out-of-fold log-odds, beside the baselines on the same papers. */
export function selectionFigures(papers: readonly SelectionPaper[], outOfFold: (p: SelectionPaper) => number, model: string, command: string, k = SELECTION_TOP_K): SelectionFigures {
  const days = [...new Set(papers.map((p) => p.day))].sort();
  return {
    model,
    command,
    days: days.length,
    firstDay: days[0] ?? '',
    lastDay: days.at(-1) ?? '',
    papers: papers.length,
    positives: papers.filter((p) => p.label === 1).length,
    k,
    selectionModel: recallAtK(papers, outOfFold, k),
    random: randomExpectation(papers, k),
    mostAuthors: recallAtK(papers, (p) => p.input.authorCount, k),
    heuristic: { ...recallAtK(papers, heuristicScore, k), rule: HEURISTIC_DESCRIPTION },
  };
}

export function evaluateSelection(dir: string, options: SelectionTrainingOptions = DEFAULT_SELECTION_TRAINING, k = SELECTION_TOP_K): SelectionEvalReport {
  const started = performance.now();
  const papers = readSelectionData(dir);
  const featured = withFeatures(papers);
  const outOfFold = leaveOneDayOut(featured, options);
  const logitOf = new Map(featured.map((p, i) => [papers[i]!, outOfFold.get(p)!]));
  return {
    dir,
    figures: selectionFigures(papers, (p) => logitOf.get(p)!, 'cross-validation', `npm run eval -- --selection ${dir}`, k),
    options,
    seconds: (performance.now() - started) / 1000,
  };
}

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;

export function formatSelectionReport(report: SelectionEvalReport): string {
  const f = report.figures;
  const row = (name: string, r: RecallFigures): string => `| ${name} | ${percent(r.recall)} | ${percent(r.upvoteRecall)} | ${percent(r.meanDayRecall)} |`;
  return [
    `Selection on ${report.dir}: ${f.days} labelled days (${f.firstDay} to ${f.lastDay}), ${f.papers} papers, ${f.positives} featured; leave-one-day-out, top ${f.k} per day`,
    '',
    `| ranking | featured in top ${f.k} | upvote-weighted | mean per day |`,
    '|---|---|---|---|',
    row(`selection model (L2 ${report.options.l2}, words in ≥ ${report.options.minDocumentFrequency} papers)`, f.selectionModel),
    row(`random ${f.k} (expectation)`, f.random),
    row('most authors', f.mostAuthors),
    row(`best simple rule: ${HEURISTIC_DESCRIPTION}`, f.heuristic),
  ].join('\n');
}
