import fc from 'fast-check';
import { clockStep, ledgerAmount } from './amounts.js';

/**
 * One operation on a single credit account, as the use cases drive it: a hold at
 * confirmation, its invoice at delivery or release at cancellation, a payment, a debit
 * or credit note, a rescored limit. `pick` chooses among the account's open holds.
 */
export type CreditOperation =
  | { readonly kind: 'hold'; readonly amount: number; readonly advanceMs: number }
  | { readonly kind: 'invoice' | 'release'; readonly pick: number; readonly advanceMs: number }
  | { readonly kind: 'pay'; readonly amount: number; readonly advanceMs: number }
  | { readonly kind: 'adjust'; readonly amount: number; readonly debit: boolean; readonly advanceMs: number }
  | { readonly kind: 'rescore'; readonly limit: number; readonly advanceMs: number };

const pick = () => fc.nat({ max: 1_000 });

/** The weights follow the old hand-rolled generator: 30% holds, 20% invoices, 10% releases, 25% payments. */
export const creditOperation = (): fc.Arbitrary<CreditOperation> =>
  fc.oneof(
    { weight: 30, arbitrary: fc.record({ kind: fc.constant('hold'), amount: ledgerAmount(), advanceMs: clockStep() }) },
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('invoice'), pick: pick(), advanceMs: clockStep() }) },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('release'), pick: pick(), advanceMs: clockStep() }) },
    { weight: 25, arbitrary: fc.record({ kind: fc.constant('pay'), amount: ledgerAmount(), advanceMs: clockStep() }) },
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant('adjust'),
        amount: ledgerAmount(),
        debit: fc.boolean(),
        advanceMs: clockStep(),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('rescore'),
        limit: fc.integer({ min: 0, max: 1_000_000 }),
        advanceMs: clockStep(),
      }),
    },
  ) as fc.Arbitrary<CreditOperation>;
