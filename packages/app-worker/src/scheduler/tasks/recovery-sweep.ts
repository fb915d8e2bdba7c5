import type { SlotHandler } from './slot-handler.js';

/**
 * The recovery sweep (worker-ops' `runRecoverySweep(deps)`), bound to its deps by the
 * composition: re-drives unpublished outbox rows, unprocessed inbox events, expired offers
 * and idle orders. It is idempotent itself; the scheduler only makes it run once per slot.
 */
export type RecoverySweep = () => Promise<unknown>;

/** Every 2 minutes: one sweep, on whichever worker takes the slot's job. */
export function recoverySweepTask(runRecoverySweep: RecoverySweep): SlotHandler {
  return async () => {
    await runRecoverySweep();
  };
}
