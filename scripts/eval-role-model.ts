/**
 * Scores one sentence-role weights file on a CSAbstruct file (default: the dev split): macro-F1,
 * accuracy and per-role F1. For the "tried" table of docs/quality.md, where each variant is trained
 * on the train split (npm run train:roles -- --l2 8 [variant options] --out FILE) and scored here;
 * `npm run eval` scores the bundled model.
 *
 *   node --import tsx scripts/eval-role-model.ts --model FILE [--vectors FILE] [--file FILE] [--marginal]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readCsAbstruct } from '../src/eval/datasets.ts';
import { classificationReport } from '../src/eval/metrics.ts';
import { ROLE_LABELS, type RoleLabel } from '../src/summarize/offline/role-features.ts';
import { loadRoleModel } from '../src/summarize/offline/role-model.ts';
import { loadWordVectors } from '../src/summarize/offline/word-vectors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    vectors: { type: 'string' },
    file: { type: 'string', default: path.resolve(repoRoot, '../shared/fixtures/csabstruct/dev.jsonl') },
    // Each sentence's most probable label on its own instead of the most probable sequence.
    marginal: { type: 'boolean', default: false },
  },
});
if (values.model === undefined) throw new Error('--model FILE is required');
const model = loadRoleModel(values.model, values.vectors === undefined ? undefined : loadWordVectors(values.vectors));
const gold: RoleLabel[] = [];
const predicted: RoleLabel[] = [];
for (const abstract of readCsAbstruct(values.file)) {
  gold.push(...abstract.labels);
  if (!values.marginal) predicted.push(...model.labels(abstract.sentences));
  else for (const row of model.predict(abstract.sentences).probabilities) predicted.push(ROLE_LABELS[row.indexOf(Math.max(...row))] as RoleLabel);
}
const report = classificationReport(ROLE_LABELS, gold, predicted);
console.log(
  `${path.basename(values.model)} on ${path.basename(values.file)}: macro-F1 ${report.macroF1.toFixed(3)}, accuracy ${report.accuracy.toFixed(3)}; ` +
    ROLE_LABELS.map((label) => `${label} ${report.perClass[label].f1.toFixed(3)}`).join(', '),
);
