// How many sequences the model-based spec runs and from which seed: a fixed seed and 100 sequences
// in `npm test`; `npm run chaos` (scripts/chaos.mjs) passes others through karma's client config
// (`client.modelBased`, set in this package's karma.conf.js from MODEL_RUNS and MODEL_SEED).

export interface ModelBasedSettings {
  readonly runs: number;
  readonly seed: number;
  /** The longest sequence generated. */
  readonly maxCommands: number;
  /** Whether the seed was given (chaos) rather than the fixed one. */
  readonly chaos: boolean;
}

/** The seed of `npm test`: every run of the suite walks the same sequences. */
export const FIXED_SEED = 20_260_401;
export const DEFAULT_RUNS = 100;
export const DEFAULT_MAX_COMMANDS = 16;

function whole(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isSafeInteger(number) ? number : undefined;
}

export function modelBasedSettings(): ModelBasedSettings {
  const given = (globalThis as { __karma__?: { config?: { modelBased?: Record<string, unknown> } } }).__karma__?.config?.modelBased ?? {};
  const seed = whole(given['seed']);
  return {
    runs: whole(given['runs']) ?? DEFAULT_RUNS,
    seed: seed ?? FIXED_SEED,
    maxCommands: whole(given['maxCommands']) ?? DEFAULT_MAX_COMMANDS,
    chaos: seed !== undefined,
  };
}
