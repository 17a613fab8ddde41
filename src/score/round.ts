/** Rounds to `digits` decimals: stored scores carry no float noise, so a recompute compares equal. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
