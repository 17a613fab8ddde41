/**
 * Trains the TL;DR sentence scorer (src/summarize/offline/tldr-scorer.ts) on the SciTLDR TRAIN
 * split (abstract-only) and writes assets/models/tldr-scorer.json.
 *
 *   node --import tsx scripts/train-tldr-scorer.ts --train FILE [--out FILE]
 *
 * Run it after `npm run train:roles`: its features include the role model's probabilities.
 *
 * Each abstract is split and analysed exactly as the offline engine does it. A sentence's target is
 * the mean ROUGE-1/2/L F1 (src/eval/rouge.ts) of its clean shortening against the gold TLDR; the
 * scorer is a linear model trained with a listwise soft-max loss (targets: soft-max of the ROUGE
 * values at temperature TAU) plus an L2 penalty, by L-BFGS. The shortening length is chosen by
 * 5-fold cross-validation on the train split; the dev split is never read here.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSciTldr, type TldrExample } from '../src/eval/datasets.ts';
import { scoreAgainstReferences } from '../src/eval/rouge.ts';
import { existingPath, parseScriptArgs, requiredOption } from '../src/eval/script-args.ts';
import { shortenSentence, splitSentences } from '../src/summarize/sentences.ts';
import { minimiseLbfgs } from '../src/summarize/offline/role-training.ts';
import {
  contentStems,
  TLDR_FEATURE_NAMES,
  TLDR_SCORER_FORMAT,
  tldrCandidates,
  tldrFeatures,
  type TldrScorerWeights,
} from '../src/summarize/offline/tldr-scorer.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `
Usage: node --import tsx scripts/train-tldr-scorer.ts --train FILE [--out FILE]

Trains the TL;DR sentence scorer on a SciTLDR abstract-only train split (JSON lines {source, target,
title?, paper_id?}) and writes assets/models/tldr-scorer.json. SciTLDR (Apache-2.0):
https://github.com/allenai/scitldr (the SciTLDR-A train split).
`;
const { values } = parseScriptArgs(HELP, {
  options: {
    train: { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'assets/models/tldr-scorer.json') },
  },
});

/**
 * Candidate shortening lengths. The TL;DR is one readable line on a card, so nothing above 200
 * characters (the highlight limit) is tried, even though longer extracts score a little higher.
 */
const MAX_CHARS_GRID = [120, 160, 200];
const TAU = 0.05;
const L2 = 1;
const FOLDS = 5;
const ITERATIONS = 300;

interface PreparedAbstract {
  /** Feature vector per usable candidate. */
  features: number[][];
  /** Per maxChars in the grid, the mean ROUGE F of each candidate's shortening. */
  targets: Map<number, number[]>;
  /** Per maxChars, R1/R2/RL of each candidate's shortening, for reporting. */
  rouge: Map<number, Array<[number, number, number]>>;
}

function prepare(example: TldrExample): PreparedAbstract | undefined {
  const sentences = splitSentences(example.source.join(' '));
  if (sentences.length === 0) return undefined;
  const all = tldrCandidates(sentences);
  const usable = all.filter((candidate) => !candidate.availability);
  const candidates = usable.length > 0 ? usable : all;
  const titleStems = contentStems(example.title);
  const targets = new Map<number, number[]>();
  const rouge = new Map<number, Array<[number, number, number]>>();
  for (const maxChars of MAX_CHARS_GRID) {
    const scores = candidates.map((candidate) => {
      const f = scoreAgainstReferences(example.targets, shortenSentence(candidate.text, maxChars));
      return [f.rouge1, f.rouge2, f.rougeL] as [number, number, number];
    });
    rouge.set(maxChars, scores);
    targets.set(maxChars, scores.map(([r1, r2, rl]) => (r1 + r2 + rl) / 3));
  }
  return { features: candidates.map((candidate) => tldrFeatures(candidate, titleStems)), targets, rouge };
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

/** Listwise training: minimise Σ_abstracts CE(softmax(target/τ), softmax(w·x)) + L2/2·‖w‖². */
function train(data: readonly PreparedAbstract[], maxChars: number): number[] {
  const dimension = TLDR_FEATURE_NAMES.length;
  const targetDistributions = data.map((abstract) => softmax((abstract.targets.get(maxChars) ?? []).map((t) => t / TAU)));
  const weights = new Float64Array(dimension);
  minimiseLbfgs(
    (w, gradient) => {
      gradient.fill(0);
      let loss = 0;
      data.forEach((abstract, a) => {
        const q = targetDistributions[a] as number[];
        const scores = abstract.features.map((x) => x.reduce((sum, value, i) => sum + value * (w[i] as number), 0));
        const p = softmax(scores);
        abstract.features.forEach((x, j) => {
          loss -= (q[j] as number) * Math.log(Math.max(p[j] as number, 1e-300));
          const difference = (p[j] as number) - (q[j] as number);
          for (let i = 0; i < dimension; i++) gradient[i] = (gradient[i] as number) + difference * (x[i] as number);
        });
      });
      for (let i = 0; i < dimension; i++) {
        loss += (L2 / 2) * (w[i] as number) ** 2;
        gradient[i] = (gradient[i] as number) + L2 * (w[i] as number);
      }
      return loss;
    },
    weights,
    ITERATIONS,
  );
  return Array.from(weights, (w) => Number(w.toFixed(5)) + 0);
}

/** Mean R1/R2/RL (×100) of the top-scored candidate's shortening. */
function evaluate(data: readonly PreparedAbstract[], weights: readonly number[], maxChars: number): [number, number, number] {
  const sums: [number, number, number] = [0, 0, 0];
  for (const abstract of data) {
    let best = 0;
    let bestScore = -Infinity;
    abstract.features.forEach((x, j) => {
      const score = x.reduce((sum, value, i) => sum + value * (weights[i] as number), 0);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    });
    const picked = abstract.rouge.get(maxChars)?.[best] ?? [0, 0, 0];
    for (let m = 0; m < 3; m++) sums[m] = (sums[m] as number) + (picked[m] as number);
  }
  return sums.map((sum) => (100 * sum) / Math.max(data.length, 1)) as [number, number, number];
}

const trainFile = existingPath('--train', requiredOption('--train', values.train, 'the SciTLDR train split'));
const examples = readSciTldr(trainFile);
console.log(`SciTLDR train: ${examples.length} abstracts (${trainFile})`);
const prepared = examples.map(prepare).filter((abstract): abstract is PreparedAbstract => abstract !== undefined);

const crossValidation: Array<{ maxChars: number; rouge1: number; rouge2: number; rougeL: number }> = [];
for (const maxChars of MAX_CHARS_GRID) {
  const totals: [number, number, number] = [0, 0, 0];
  for (let fold = 0; fold < FOLDS; fold++) {
    const fit = prepared.filter((_, i) => i % FOLDS !== fold);
    const heldOut = prepared.filter((_, i) => i % FOLDS === fold);
    const scores = evaluate(heldOut, train(fit, maxChars), maxChars);
    for (let m = 0; m < 3; m++) totals[m] = (totals[m] as number) + (scores[m] as number) * heldOut.length;
  }
  const [rouge1, rouge2, rougeL] = totals.map((total) => Number((total / prepared.length).toFixed(2))) as [number, number, number];
  crossValidation.push({ maxChars, rouge1, rouge2, rougeL });
  console.log(`  ${FOLDS}-fold CV on train, TL;DR ≤ ${maxChars} chars: ROUGE-1/2/L ${rouge1} / ${rouge2} / ${rougeL}`);
}
const chosen = crossValidation.reduce((best, entry) =>
  entry.rouge1 + entry.rouge2 + entry.rougeL > best.rouge1 + best.rouge2 + best.rougeL ? entry : best,
);
console.log(`chosen: TL;DR ≤ ${chosen.maxChars} chars`);

const weights = train(prepared, chosen.maxChars);
const file: TldrScorerWeights = {
  format: TLDR_SCORER_FORMAT,
  featureNames: [...TLDR_FEATURE_NAMES],
  weights,
  maxChars: chosen.maxChars,
  meta: {
    model: `linear scorer, listwise soft-max loss (temperature ${TAU}, L2 ${L2}), L-BFGS`,
    trainedOn: `SciTLDR abstract-only train split (${prepared.length} abstracts), Apache-2.0, allenai/scitldr`,
    trainSha256: createHash('sha256').update(readFileSync(trainFile)).digest('hex'),
    target: 'mean ROUGE-1/2/L F1 (rouge-score semantics, Porter stemming) of the shortened sentence vs the gold TLDR',
    crossValidation: { folds: FOLDS, grid: crossValidation },
    command: 'node --import tsx scripts/train-tldr-scorer.ts',
  },
};
mkdirSync(path.dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(file, null, 1)}\n`);
console.log(`wrote ${values.out}`);
