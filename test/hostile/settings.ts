/**
 * Run counts and seeds of the hostile-input, fault and kill suites. The normal suite runs them
 * reduced; `npm run test:soak` (PAPERSIFT_SOAK=1) runs them in full. Every suite prints its seed, and
 * PAPERSIFT_FUZZ_SEED=<seed> replays exactly the same inputs.
 */
export const SOAK = process.env.PAPERSIFT_SOAK === '1';

/** The seed of this process: fixed by PAPERSIFT_FUZZ_SEED, else fresh each run (and printed). */
export const SEED: number = (() => {
  const given = process.env.PAPERSIFT_FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`PAPERSIFT_FUZZ_SEED must be an integer, got "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
})();

/** `reduced` runs in `npm test`, `full` under PAPERSIFT_SOAK=1; PAPERSIFT_FUZZ_RUNS overrides both. */
export function runs(reduced: number, full: number): number {
  const override = Number(process.env.PAPERSIFT_FUZZ_RUNS);
  if (Number.isSafeInteger(override) && override > 0) return override;
  return SOAK ? full : reduced;
}

/** fast-check parameters with the process seed, and the line that lets a failure be replayed. */
export function fcParams(suite: string, reduced: number, full: number): { seed: number; numRuns: number; endOnFailure: boolean; includeErrorInReport: boolean } {
  const numRuns = runs(reduced, full);
  console.log(`# ${suite}: ${numRuns} runs, seed ${SEED} (replay with PAPERSIFT_FUZZ_SEED=${SEED})`);
  return { seed: SEED, numRuns, endOnFailure: true, includeErrorInReport: true };
}

/** The seeded PRNG of the kill and fault suites, where fast-check does not drive the test. */
export { seededRandom } from '../../src/seeded-random.ts';
