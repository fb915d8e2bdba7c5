import { type ExpireOverdueOffers, type Logger, SYSTEM_ACTOR } from '@khaacho/core';
import { type SlotHandler, outcomeValue } from './slot-handler.js';

export interface OfferExpiryDeps {
  readonly expireOverdueOffers: Pick<ExpireOverdueOffers, 'execute'>;
  readonly logger: Logger;
  /** Orders per batch (default 100); batches follow while a batch comes back full, up to `maxBatches` (10). */
  readonly batch?: number;
  readonly maxBatches?: number;
}

/**
 * Every minute: expire the offers past their deadline (`ExpireOverdueOffers`, system actor).
 * Each expiry raises its event, and the consumers route the order to the next vendor.
 * Idempotent: an offer already expired or answered is not pending any more.
 */
export function offerExpiryTask(deps: OfferExpiryDeps): SlotHandler {
  const limit = deps.batch ?? 100;
  const maxBatches = deps.maxBatches ?? 10;
  return async (slot) => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const expired = outcomeValue(
        await deps.expireOverdueOffers.execute({ actor: SYSTEM_ACTOR, limit }),
        'ExpireOverdueOffers',
      );
      total += expired.length;
      if (expired.length < limit) break;
    }
    if (total > 0) deps.logger.info('scheduler: offers expired', { count: total, slot: slot.toISOString() });
  };
}
