import fc from 'fast-check';
import { modelSteps } from '@khaacho/core/testing/arbitraries';
import { REGRESSIONS } from './regressions.js';
import { runSequence } from './runner.js';
import type { DiffWorld } from './worlds.js';

export interface CampaignOptions {
  /** Stop generating once about this many commands ran (the recorded sequences count too). */
  readonly commands: number;
  /** fast-check's seed, to replay a reported run; random when absent. */
  readonly seed?: number;
  readonly onProgress?: (commands: number, sequences: number) => void;
  /** Replay the recorded sequences first (the test lists them as cases of their own instead). */
  readonly recorded?: boolean;
}

/** Mean commands per generated sequence (7 opening steps + 1–40 steps, a few of them pairs), to size a chunk. */
const MEAN_COMMANDS = 28;

/**
 * The recorded sequences first (if asked), then random ones in chunks of fast-check runs until the
 * command budget is spent. A disagreement fails with fast-check's report: seed, path and
 * the shrunk sequence, to be added to `regressions.ts`.
 */
export async function runCampaign(memory: DiffWorld, postgres: DiffWorld, options: CampaignOptions) {
  let commands = 0;
  let sequences = 0;
  for (const recorded of options.recorded ? REGRESSIONS : []) {
    commands += await runSequence(recorded.steps, memory, postgres);
    sequences++;
  }
  let chunk = 0;
  while (commands < options.commands) {
    const runs = Math.max(1, Math.min(50, Math.ceil((options.commands - commands) / MEAN_COMMANDS)));
    const seed = options.seed === undefined ? undefined : options.seed + chunk++;
    await fc.assert(
      fc.asyncProperty(modelSteps(40), async (steps) => {
        commands += await runSequence(steps, memory, postgres);
        sequences++;
      }),
      { numRuns: runs, includeErrorInReport: true, ...(seed === undefined ? {} : { seed }) },
    );
    options.onProgress?.(commands, sequences);
  }
  return { commands, sequences };
}
