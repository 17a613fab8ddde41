import type { Segment } from '../../digest/highlight.ts';

/** Matched words as <mark>; every run is text, so JSX escapes all of it. */
export function Highlighted({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</>;
}
