import type { Segment } from '../../digest/highlight.ts';
import { MathText } from '../math.tsx';

/** Matched words as <mark>; every run is text, so JSX escapes all of it. */
export function Highlighted({ segments, math = false }: { segments: Segment[]; math?: boolean }) {
  // Math per run: TeX cut by a match mark is shown as written (feeds, which readers may not typeset, leave math off).
  const text = (t: string) => (math ? <MathText text={t} /> : t);
  return <>{segments.map((s) => (s.match ? <mark>{text(s.text)}</mark> : text(s.text)))}</>;
}
