import fc from 'fast-check';

/** Money in minor units that every ledger accepts: NPR 0.01 to NPR 5,000.00. */
export const ledgerAmount = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 500_000 });

/**
 * Amounts a use case must refuse: zero, negative, fractional minor units, and an integer
 * far past the ledger's cap (what a JSON body could carry).
 */
export const badAmount = (): fc.Arbitrary<number> => fc.constantFrom(0, -1, -50_000, 10.5, 1e15, 2 ** 53 - 1);

/** Mostly a ledger amount, now and then a bad one. */
export const anyAmount = (): fc.Arbitrary<number> =>
  fc.oneof({ weight: 12, arbitrary: ledgerAmount() }, { weight: 1, arbitrary: badAmount() });

/** A credit limit: none at all, a tight one, or a roomy one. */
export const creditLimit = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constant(0), fc.integer({ min: 1_000, max: 200_000 }), fc.integer({ min: 200_000, max: 2_000_000 }));

/** How far the clock moves between steps: up to three days, often not at all. */
export const clockStep = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 86_400_000 }));
