import type { CreditAccount } from '../credit/credit-account.js';
import type { OrderSnapshot } from '../order/order.js';
import type { Retailer } from '../parties/retailer.js';
import type { JsonObject } from '../shared/domain-event.js';
import type { Money } from '../shared/money.js';
import type { TransactionScope } from '../ports/unit-of-work.js';

export type RiskVerdict = 'ALLOW' | 'REVIEW' | 'BLOCK';

export interface OrderRiskInput {
  /** The new order, still PENDING and not yet saved. */
  readonly order: OrderSnapshot;
  readonly retailer: Retailer;
  readonly account: CreditAccount;
  /** Other orders already committed against the account but not yet held. */
  readonly pendingExposure: Money;
  readonly asOf: Date;
}

export interface OrderRiskDecision {
  readonly verdict: RiskVerdict;
  /** Human-readable reasons for anything but ALLOW (shown to operators and retailers). */
  readonly reasons: readonly string[];
  /** Everything the decision used, for the audit trail. */
  readonly details: JsonObject;
}

/**
 * Decides ALLOW / REVIEW / BLOCK for a new order, inside the place-order transaction
 * (so it may read history through `tx` and record its verdicts).
 */
export interface OrderRiskPolicy {
  assess(input: OrderRiskInput, tx: TransactionScope): Promise<OrderRiskDecision>;
}

/** Lets every order through: for tests that are not about risk. */
export const ALLOW_ALL_RISK_POLICY: OrderRiskPolicy = Object.freeze({
  async assess(): Promise<OrderRiskDecision> {
    return { verdict: 'ALLOW' as const, reasons: [], details: { policy: 'allow-all' } };
  },
});
