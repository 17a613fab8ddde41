/**
 * Trains the sentence-role model (src/summarize/offline/role-model.ts) on the CSAbstruct TRAIN
 * split and writes assets/models/sentence-roles.json.
 *
 *   npm run train:roles -- --train FILE            # 5-fold CV over the L2 grid, then the final fit
 *   npm run train:roles -- --train FILE --l2 4     # skip CV, fit with this penalty
 *   npm run train:roles -- --train FILE --out FILE
 *
 * Hyper-parameters are chosen by cross-validation on the train split only: the dev split is for
 * `npm run eval` and is never read here. Output is deterministic (no randomness, no timestamps):
 * the same data gives the same file byte for byte.
 *
 * The TL;DR scorer uses this model's role probabilities as features: retrain it afterwards with
 * `node --import tsx scripts/train-tldr-scorer.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsAbstruct } from '../src/eval/datasets.ts';
import { classificationReport } from '../src/eval/metrics.ts';
import { existingPath, parseScriptArgs, requiredOption } from '../src/eval/script-args.ts';
import { DENSE_BLOCKS, ROLE_LABELS, type DenseBlock, type RoleLabel } from '../src/summarize/offline/role-features.ts';
import { RoleModel } from '../src/summarize/offline/role-model.ts';
import { DEFAULT_CRF_OPTIONS, trainRoleCrf, type CrfTrainingOptions } from '../src/summarize/offline/role-training.ts';
import { DEFAULT_WORD_VECTORS_PATH, loadWordVectors } from '../src/summarize/offline/word-vectors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `
Usage: npm run train:roles -- --train FILE [--out FILE] [--l2 N] [--folds N] [--cv-only] [variant options]

Trains the sentence-role model on a CSAbstruct train split (JSON lines {sentences, labels}) and writes
assets/models/sentence-roles.json. CSAbstruct (Apache-2.0):
https://github.com/allenai/sequential_sentence_classification (data/CSAbstruct/train.jsonl).
Variant options: --vectors FILE --dense LIST --dense-l2 N --hidden N --word-position --fold-limit N.
`;
const { values } = parseScriptArgs(HELP, {
  options: {
    train: { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'assets/models/sentence-roles.json') },
    l2: { type: 'string' },
    folds: { type: 'string', default: '5' },
    vectors: { type: 'string', default: DEFAULT_WORD_VECTORS_PATH },
    dense: { type: 'string' },
    'dense-l2': { type: 'string' },
    hidden: { type: 'string' },
    'word-position': { type: 'boolean', default: false },
    // Screening aid: evaluate only the first N folds (each still trained on the other k-1).
    'fold-limit': { type: 'string' },
    'cv-only': { type: 'boolean', default: false },
  },
});

const L2_GRID = [4, 8, 16];
const denseBlocks = (values.dense === undefined ? (DEFAULT_CRF_OPTIONS.featureConfig.dense ?? []) : values.dense.split(',').filter((b) => b !== '')) as DenseBlock[];
for (const block of denseBlocks) if (!(DENSE_BLOCKS as readonly string[]).includes(block)) throw new Error(`unknown dense block ${block}`);
const vectors = denseBlocks.length > 0 ? loadWordVectors(existingPath('--vectors', values.vectors)) : undefined;
const baseOptions: CrfTrainingOptions = {
  ...DEFAULT_CRF_OPTIONS,
  featureConfig: {
    ...DEFAULT_CRF_OPTIONS.featureConfig,
    // Only when used: the shipped, vector-free model's file stays byte-identical to what it was.
    ...(denseBlocks.length > 0 ? { dense: denseBlocks } : {}),
    ...(values['word-position'] ? { wordPosition: true } : {}),
  },
  ...(values['dense-l2'] === undefined ? {} : { denseL2: Number(values['dense-l2']) }),
  ...(values.hidden === undefined ? {} : { hidden: Number(values.hidden) }),
};
const trainFile = existingPath('--train', requiredOption('--train', values.train, 'the CSAbstruct train split'));
const data = readCsAbstruct(trainFile);
const folds = Number(values.folds);
const log = (line: string): void => console.log(line);
log(`CSAbstruct train: ${data.length} abstracts, ${data.reduce((n, a) => n + a.sentences.length, 0)} sentences (${trainFile})`);

function crossValidate(l2: number): number {
  const gold: RoleLabel[] = [];
  const predicted: RoleLabel[] = [];
  const byMarginal: RoleLabel[] = [];
  const foldLimit = values['fold-limit'] === undefined ? folds : Number(values['fold-limit']);
  for (let fold = 0; fold < Math.min(folds, foldLimit); fold++) {
    // Interleaved folds: abstract i is held out in fold i mod k.
    const fit = data.filter((_, i) => i % folds !== fold);
    const heldOut = data.filter((_, i) => i % folds === fold);
    const model = new RoleModel(trainRoleCrf(fit, { ...baseOptions, l2 }, {}, vectors), vectors);
    for (const abstract of heldOut) {
      gold.push(...abstract.labels);
      predicted.push(...model.labels(abstract.sentences));
      // Alternative decoding, for comparison: each sentence's most probable label on its own.
      for (const row of model.predict(abstract.sentences).probabilities) {
        byMarginal.push(ROLE_LABELS[row.indexOf(Math.max(...row))] as RoleLabel);
      }
    }
  }
  log(`    max-marginal decoding: macro-F1 ${classificationReport(ROLE_LABELS, gold, byMarginal).macroF1.toFixed(4)}`);
  const report = classificationReport(ROLE_LABELS, gold, predicted);
  log(`    per role: ${ROLE_LABELS.map((label) => `${label} ${report.perClass[label].f1.toFixed(3)}`).join(', ')}`);
  return report.macroF1;
}

const crossValidation: Array<{ l2: number; macroF1: number }> = [];
// --l2 A,B,…: with --cv-only, cross-validate these; alone, fit with the single value given.
const givenL2 = values.l2 === undefined ? undefined : values.l2.split(',').map(Number);
let l2 = givenL2 !== undefined && !values['cv-only'] ? givenL2[0] : undefined;
if (l2 === undefined) {
  for (const candidate of givenL2 ?? L2_GRID) {
    const started = performance.now();
    const macroF1 = crossValidate(candidate);
    crossValidation.push({ l2: candidate, macroF1: Number(macroF1.toFixed(4)) });
    log(`  ${folds}-fold CV on train, l2 ${candidate}: macro-F1 ${macroF1.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  l2 = crossValidation.reduce((best, entry) => (entry.macroF1 > best.macroF1 ? entry : best)).l2;
  log(`chosen l2: ${l2}`);
}
if (values['cv-only']) process.exit(0);

const weights = trainRoleCrf(
  data,
  { ...baseOptions, l2, log },
  {
    model: 'linear-chain CRF over stemmed words, bigrams, openers, position, length, shape and neighbour openers; Viterbi decoding',
    trainedOn: `CSAbstruct train split (${data.length} abstracts), Apache-2.0, allenai/sequential_sentence_classification`,
    trainSha256: createHash('sha256').update(readFileSync(trainFile)).digest('hex'),
    crossValidation: crossValidation.length > 0 ? { folds, grid: crossValidation } : 'skipped (--l2 given)',
    command: 'npm run train:roles',
  },
  vectors,
);
mkdirSync(path.dirname(values.out), { recursive: true });
const json = `${JSON.stringify(weights)}\n`;
writeFileSync(values.out, json);
log(`wrote ${values.out}: ${weights.featureNames.length} features, ${(json.length / 1024).toFixed(0)} KiB`);
