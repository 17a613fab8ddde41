export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note: string;
  /** The figure against the baseline measured in the same run: how many times the baseline's rate (or time) it is. */
  ratio?: { value: number; to: string };
}

/** `value / baseline`, rounded for the table. */
export function ratioTo(value: number, baseline: number, to: string): BenchResult['ratio'] {
  return { value: Number((value / baseline).toFixed(2)), to };
}
