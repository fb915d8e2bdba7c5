import { CLOCK, LOGGER, OUTBOX, REPOSITORIES, type Token, USE_CASE_TOKENS, WEBHOOK_INBOX } from '@khaacho/core';
import type { RecoverySweepDeps, SweepThresholds } from './recovery-sweep.js';

/** Anything that resolves tokens: a `Composition` (`app.get`) or a test's own map. */
export interface TokenResolver {
  get<T>(token: Token<T>): T;
}

/**
 * The sweep's deps from the composition's tokens, resolved once: what the scheduler's
 * wiring calls (`runRecoverySweep(recoverySweepDeps(app, config.ops.sweep))`), so it
 * never reaches into the container itself.
 */
export function recoverySweepDeps(app: TokenResolver, thresholds: Partial<SweepThresholds> = {}): RecoverySweepDeps {
  return {
    expireOverdueOffers: app.get(USE_CASE_TOKENS.expireOverdueOffers),
    routeOrder: app.get(USE_CASE_TOKENS.routeOrder),
    orders: app.get(REPOSITORIES).orders,
    outbox: app.get(OUTBOX),
    inbox: app.get(WEBHOOK_INBOX),
    clock: app.get(CLOCK),
    logger: app.get(LOGGER),
    thresholds,
  };
}
