/**
 * The figures of a researcher profile, each with what it counts, where it came from and when, so no
 * two figures of different scopes or sources sit side by side unlabelled. Pure functions.
 */

/** A count with its provenance: `scope` says what is counted, `source` who counted it, `asOf` when. */
export interface Figure {
  value: number | null;
  scope: string;
  source: string;
  asOf: string | null;
  /** The figure as one line for people, e.g. "h-index 21 — Semantic Scholar, all publications, 2026-11-20". */
  label: string;
}

export interface ScoreFigure extends Figure {
  /** Papers with a score for their shown version; the mean is over these. */
  scoredPapers: number;
  methodVersions: string[];
}

/** The largest h such that h of the counts are ≥ h. */
export function hIndexOf(citationCounts: number[]): number {
  const sorted = [...citationCounts].sort((a, b) => b - a);
  let h = 0;
  while (h < sorted.length && sorted[h]! >= h + 1) h += 1;
  return h;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
const num = (n: number) => new Intl.NumberFormat('en-US').format(n);

export function sourceFigure(name: string, value: number | null, source: string, scope: string, asOf: string | null): Figure {
  const when = day(asOf);
  const label = value === null ? `${name}: not known — ${source}, ${scope}` : `${name} ${num(value)} — ${source}, ${scope}${when ? `, ${when}` : ''}`;
  return { value, scope, source, asOf: when, label };
}

export interface ListedPaperCounts {
  /** Papers on the profile. */
  listed: number;
  /** Listed papers `source` was asked about (found or not). */
  lookedUp: number;
  /** Citation count per listed paper found in `source`. */
  counts: number[];
  source: string;
  asOf: string | null;
}

/** Papers, citations and h-index over exactly the papers listed on the profile. */
export function listedFigures(c: ListedPaperCounts): { papers: Figure; citations: Figure; hIndex: Figure } {
  const when = day(c.asOf);
  const listed = `${c.listed} paper${c.listed === 1 ? '' : 's'} listed`;
  const coverage = c.counts.length === c.listed ? `the ${listed}` : `the ${c.counts.length} of ${listed} found in ${c.source}`;
  const known = c.counts.length > 0;
  const citations = known ? c.counts.reduce((a, b) => a + b, 0) : null;
  const h = known ? hIndexOf(c.counts) : null;
  const suffix = known ? ` (${c.source}${when ? `, ${when}` : ''})` : '';
  const unknown = c.lookedUp > 0 ? `none of the ${listed} found in ${c.source}${when ? ` (${when})` : ''}` : 'not looked up yet';
  return {
    papers: { value: c.listed, scope: 'papers listed', source: 'arXiv, in papersift', asOf: null, label: `papers listed — ${c.listed} (arXiv, in papersift)` },
    citations: {
      value: citations,
      scope: `citations of ${coverage}`,
      source: c.source,
      asOf: when,
      label: known ? `citations of ${coverage} — ${num(citations!)}${suffix}` : `citations of the papers listed: ${unknown}`,
    },
    hIndex: {
      value: h,
      scope: `h-index of ${coverage}`,
      source: c.source,
      asOf: when,
      label: known ? `h-index of ${coverage} — ${h}${suffix}` : `h-index of the papers listed: ${unknown}`,
    },
  };
}

export function scoreFigure(name: string, values: Array<{ value: number; methodVersion: string }>): ScoreFigure {
  const methodVersions = [...new Set(values.map((v) => v.methodVersion))].sort();
  if (values.length === 0) return { value: null, scope: 'papers listed', source: 'papersift', asOf: null, label: `${name}: not yet scored`, scoredPapers: 0, methodVersions };
  const mean = Math.round((values.reduce((a, v) => a + v.value, 0) / values.length) * 10) / 10;
  const n = values.length;
  return {
    value: mean,
    scope: `mean over ${n} scored paper${n === 1 ? '' : 's'}`,
    source: `papersift ${methodVersions.join(', ')}`,
    asOf: null,
    label: `${name} ${mean} — mean over ${n} scored paper${n === 1 ? '' : 's'} — papersift ${methodVersions.join(', ')}`,
    scoredPapers: n,
    methodVersions,
  };
}
