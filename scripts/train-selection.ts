/**
 * Trains the selection model (src/score/selection-model.ts) on a selection data folder and writes
 * assets/models/selection-model.json (weights) and assets/models/selection-figures.json (its
 * leave-one-day-out figures beside the baselines, shown on /about/scores).
 *
 *   npm run train:selection -- DIR [--out-dir assets/models]
 *
 * The L2 penalty was chosen by the same cross-validation among 0.001, 0.003 and 0.01 (58.1, 57.0 and
 * not finished: 0.001 kept); the held-out days are refused by the reader. Deterministic: the same
 * folder gives the same files, byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readSelectionData, SelectionDataError } from '../src/eval/selection-data.ts';
import { formatSelectionReport, selectionFigures } from '../src/eval/selection-eval.ts';
import { DEFAULT_SELECTION_TRAINING, trainSelectionModel, withFeatures } from '../src/score/selection-training.ts';

/** The model's id, stored in every score's details; change it (and SCORING_METHOD) when retraining on other data. */
export const SELECTION_MODEL_ID = 'selection-1';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function trainSelection(dir: string, outDir: string): string {
  const papers = readSelectionData(dir);
  const featured = withFeatures(papers);
  const { model, outOfFold } = trainSelectionModel(featured, DEFAULT_SELECTION_TRAINING, SELECTION_MODEL_ID);
  const logitOf = new Map(featured.map((p, i) => [papers[i]!, outOfFold.get(p)!]));
  const figures = selectionFigures(papers, (p) => logitOf.get(p)!, SELECTION_MODEL_ID, `npm run train:selection -- ${path.basename(dir)}`);
  const labels = readFileSync(path.join(dir, 'labels.tsv'));
  const meta = {
    command: `npm run train:selection -- ${path.basename(dir)}`,
    labelsSha256: createHash('sha256').update(labels).digest('hex'),
    options: DEFAULT_SELECTION_TRAINING,
    platt: 'fitted on leave-one-day-out log-odds',
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'selection-model.json'), `${JSON.stringify({ ...model, meta })}\n`);
  writeFileSync(path.join(outDir, 'selection-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  return formatSelectionReport({ dir, figures, options: DEFAULT_SELECTION_TRAINING, seconds: 0 });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'out-dir': { type: 'string', default: path.join(repoRoot, 'assets/models') } } });
  const dir = positionals[0];
  if (dir === undefined) {
    console.error('usage: npm run train:selection -- DIR (a folder with listings/ and labels.tsv)');
    process.exit(2);
  }
  try {
    console.log(trainSelection(path.resolve(dir), path.resolve(values['out-dir']!)));
  } catch (error) {
    if (!(error instanceof SelectionDataError)) throw error;
    console.error(`train:selection: ${error.message}`);
    process.exit(2);
  }
}
