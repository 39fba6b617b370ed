/** Sizes of the fuzz runs: a couple of minutes in `npm test`, the long version with `npm run fuzz`. */
export const LONG = process.env.TFS_FUZZ === 'long';
export const LOCAL_FRAMES = LONG ? 100_000 : 10_000;
export const REMOTE_INPUTS = LONG ? 10_000 : 2_000;
export const SOAK_MS = LONG ? 10 * 60_000 : 30_000;
/** A fixed seed by default so CI is repeatable; TFS_FUZZ_SEED explores. */
export const SEED = Number(process.env.TFS_FUZZ_SEED ?? 20261127);
