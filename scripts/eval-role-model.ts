/**
 * Scores one sentence-role weights file on a CSAbstruct file (default: the dev split): macro-F1,
 * accuracy and per-role F1. For the "tried" table of docs/quality.md, where each variant is trained
 * on the train split (npm run train:roles -- --l2 8 [variant options] --out FILE) and scored here;
 * `npm run eval` scores the bundled model.
 *
 *   node --import tsx scripts/eval-role-model.ts --model FILE --file FILE [--vectors FILE] [--marginal]
 */
import path from 'node:path';
import { readCsAbstruct } from '../src/eval/datasets.ts';
import { classificationReport } from '../src/eval/metrics.ts';
import { existingPath, parseScriptArgs, requiredOption } from '../src/eval/script-args.ts';
import { ROLE_LABELS, type RoleLabel } from '../src/summarize/offline/role-features.ts';
import { loadRoleModel } from '../src/summarize/offline/role-model.ts';
import { loadWordVectors } from '../src/summarize/offline/word-vectors.ts';

const HELP = `
Usage: node --import tsx scripts/eval-role-model.ts --model FILE --file FILE [--vectors FILE] [--marginal]

Scores a sentence-role weights file on a CSAbstruct split (JSON lines {sentences, labels}), e.g. the dev
split of CSAbstruct (Apache-2.0): https://github.com/allenai/sequential_sentence_classification.
`;
const { values } = parseScriptArgs(HELP, {
  options: {
    model: { type: 'string' },
    vectors: { type: 'string' },
    file: { type: 'string' },
    // Each sentence's most probable label on its own instead of the most probable sequence.
    marginal: { type: 'boolean', default: false },
  },
});
const modelFile = existingPath('--model', requiredOption('--model', values.model, 'a sentence-role weights file'));
const dataFile = existingPath('--file', requiredOption('--file', values.file, 'a CSAbstruct split'));
const model = loadRoleModel(modelFile, values.vectors === undefined ? undefined : loadWordVectors(existingPath('--vectors', values.vectors)));
const gold: RoleLabel[] = [];
const predicted: RoleLabel[] = [];
for (const abstract of readCsAbstruct(dataFile)) {
  gold.push(...abstract.labels);
  if (!values.marginal) predicted.push(...model.labels(abstract.sentences));
  else for (const row of model.predict(abstract.sentences).probabilities) predicted.push(ROLE_LABELS[row.indexOf(Math.max(...row))] as RoleLabel);
}
const report = classificationReport(ROLE_LABELS, gold, predicted);
console.log(
  `${path.basename(modelFile)} on ${path.basename(dataFile)}: macro-F1 ${report.macroF1.toFixed(3)}, accuracy ${report.accuracy.toFixed(3)}; ` +
    ROLE_LABELS.map((label) => `${label} ${report.perClass[label].f1.toFixed(3)}`).join(', '),
);
