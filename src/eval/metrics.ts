/** Classification and set-agreement figures used by the evaluation. */

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Gold instances of the class. */
  support: number;
}

export interface ClassificationReport<L extends string> {
  perClass: Record<L, ClassScores>;
  /** Unweighted mean of the per-class F1 (every class counts the same, however rare). */
  macroF1: number;
  accuracy: number;
  total: number;
}

export function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Per-class precision/recall/F1, macro-F1 and accuracy of predicted against gold labels. */
export function classificationReport<L extends string>(
  classes: readonly L[],
  gold: readonly L[],
  predicted: readonly L[],
): ClassificationReport<L> {
  if (gold.length !== predicted.length) throw new Error(`${gold.length} gold labels but ${predicted.length} predictions`);
  const truePositives = new Map<L, number>();
  const goldCounts = new Map<L, number>();
  const predictedCounts = new Map<L, number>();
  let correct = 0;
  gold.forEach((label, i) => {
    const guess = predicted[i] as L;
    goldCounts.set(label, (goldCounts.get(label) ?? 0) + 1);
    predictedCounts.set(guess, (predictedCounts.get(guess) ?? 0) + 1);
    if (guess === label) {
      correct++;
      truePositives.set(label, (truePositives.get(label) ?? 0) + 1);
    }
  });
  const perClass = {} as Record<L, ClassScores>;
  for (const label of classes) {
    const tp = truePositives.get(label) ?? 0;
    const precision = tp / Math.max(predictedCounts.get(label) ?? 0, 1);
    const recall = tp / Math.max(goldCounts.get(label) ?? 0, 1);
    perClass[label] = { precision, recall, f1: f1(precision, recall), support: goldCounts.get(label) ?? 0 };
  }
  const macroF1 = classes.reduce((sum, label) => sum + perClass[label].f1, 0) / Math.max(classes.length, 1);
  return { perClass, macroF1, accuracy: correct / Math.max(gold.length, 1), total: gold.length };
}

export interface SetAgreement {
  jaccard: number;
  precision: number;
  recall: number;
}

/** Agreement of our set with a reference set: |A∩B|/|A∪B|, |A∩B|/|A|, |A∩B|/|B|. */
export function setAgreement<T>(ours: Iterable<T>, reference: Iterable<T>): SetAgreement {
  const a = new Set(ours);
  const b = new Set(reference);
  let common = 0;
  for (const item of a) if (b.has(item)) common++;
  const union = a.size + b.size - common;
  return {
    jaccard: union === 0 ? 1 : common / union,
    precision: a.size === 0 ? 0 : common / a.size,
    recall: b.size === 0 ? 0 : common / b.size,
  };
}
