import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selectionFiguresSchema, type SelectionFigures } from '../domain/scoring.ts';

export const DEFAULT_SELECTION_FIGURES_PATH = fileURLToPath(new URL('../../assets/models/selection-figures.json', import.meta.url));

let cached: { file: string; figures: SelectionFigures | null } | undefined;

/**
 * The shipped selection model's cross-validated figures, as its trainer wrote them next to the
 * weights; null when the file is missing or not in this shape (the page then says so, never a number
 * of its own).
 */
export function selectionFigures(file = DEFAULT_SELECTION_FIGURES_PATH): SelectionFigures | null {
  if (cached?.file === file) return cached.figures;
  let figures: SelectionFigures | null = null;
  try {
    const parsed = selectionFiguresSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    figures = parsed.success ? parsed.data : null;
  } catch {
    figures = null;
  }
  cached = { file, figures };
  return figures;
}
