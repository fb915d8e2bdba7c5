import type { CreditBand, CreditLimitRuleId, CreditScoreTrigger } from '../engines/scoring/scoring-config.js';
import type { Actor } from '../shared/domain-event.js';
import type { LedgerEntryId, OrderId, RetailerId } from '../shared/ids.js';
import type { CurrencyCode } from '../shared/money.js';
import type { EventSpecs } from './payload-shape.js';

/** Amounts in credit events are integer minor units of `currency`. */
interface CreditPayload {
  readonly retailerId: RetailerId;
}

export interface CreditHoldPlaced extends CreditPayload {
  readonly orderId: OrderId;
  readonly amount: number;
  readonly currency: CurrencyCode;
}

export interface CreditHoldReleased extends CreditPayload {
  readonly orderId: OrderId;
  readonly amount: number;
  readonly currency: CurrencyCode;
}

export interface CreditInvoiceIssued extends CreditPayload {
  readonly orderId: OrderId;
  readonly entryId: LedgerEntryId;
  readonly amount: number;
  readonly currency: CurrencyCode;
  /** ISO-8601. */
  readonly dueAt: string;
}

export interface CreditPaymentRecorded extends CreditPayload {
  readonly entryId: LedgerEntryId;
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly reference: string;
  /** Orders whose invoice this payment settled in full. */
  readonly settledOrderIds: readonly OrderId[];
}

export interface CreditAdjusted extends CreditPayload {
  readonly entryId: LedgerEntryId;
  /** Positive: a debit note; negative: a credit note. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  readonly note: string;
  readonly reference: string | null;
  readonly settledOrderIds: readonly OrderId[];
}

export interface CreditLimitChanged extends CreditPayload {
  readonly previous: number;
  readonly limit: number;
  readonly currency: CurrencyCode;
  readonly reason: string;
  /** Set by a person (it then stands until released to scoring). */
  readonly manual: boolean;
  readonly actor: Actor;
}

/**
 * Staff let one order over the shop's available credit go on (an approved `CREDIT_LIMIT`
 * hold): the limit stays; the ledger will hold more than it. The audit record of that decision.
 */
export interface CreditLimitOverridden extends CreditPayload {
  readonly orderId: OrderId;
  /** The order's total, and what was available when it was approved (may be negative). */
  readonly amount: number;
  readonly available: number;
  readonly currency: CurrencyCode;
  readonly reason: string;
  readonly actor: Actor;
}

export interface CreditLimitReleasedToScoring extends CreditPayload {
  readonly actor: Actor;
}

export interface CreditTermsChanged extends CreditPayload {
  readonly previous: number;
  readonly netTermsDays: number;
}

export interface CreditScoreCalculated extends CreditPayload {
  readonly score: number;
  readonly band: CreditBand;
  readonly trigger: CreditScoreTrigger;
  /** Minor units, in the account's currency. */
  readonly recommendedLimit: number;
  readonly limitRule: CreditLimitRuleId;
  readonly limitApplied: boolean;
  readonly manualLimitKept: boolean;
}

/** Raised by the CreditAccount aggregate and scoring; the aggregate id is the retailer id. */
export interface CreditEventDefinitions {
  'credit.hold_placed': { aggregate: 'credit_account'; payload: CreditHoldPlaced };
  'credit.hold_released': { aggregate: 'credit_account'; payload: CreditHoldReleased };
  'credit.invoice_issued': { aggregate: 'credit_account'; payload: CreditInvoiceIssued };
  'credit.payment_recorded': { aggregate: 'credit_account'; payload: CreditPaymentRecorded };
  'credit.adjusted': { aggregate: 'credit_account'; payload: CreditAdjusted };
  'credit.limit_changed': { aggregate: 'credit_account'; payload: CreditLimitChanged };
  'credit.limit_released_to_scoring': { aggregate: 'credit_account'; payload: CreditLimitReleasedToScoring };
  'credit.limit_overridden': { aggregate: 'credit_account'; payload: CreditLimitOverridden };
  'credit.terms_changed': { aggregate: 'credit_account'; payload: CreditTermsChanged };
  'credit.score_calculated': { aggregate: 'credit_account'; payload: CreditScoreCalculated };
}

const hold = { retailerId: ['string'], orderId: ['string'], amount: ['number'], currency: ['string'] } as const;

export const creditEventSpecs: EventSpecs<CreditEventDefinitions> = {
  'credit.hold_placed': { aggregate: 'credit_account', shape: hold },
  'credit.hold_released': { aggregate: 'credit_account', shape: hold },
  'credit.invoice_issued': {
    aggregate: 'credit_account',
    shape: { ...hold, entryId: ['string'], dueAt: ['string'] },
  },
  'credit.payment_recorded': {
    aggregate: 'credit_account',
    shape: {
      retailerId: ['string'],
      entryId: ['string'],
      amount: ['number'],
      currency: ['string'],
      reference: ['string'],
      settledOrderIds: ['array'],
    },
  },
  'credit.adjusted': {
    aggregate: 'credit_account',
    shape: {
      retailerId: ['string'],
      entryId: ['string'],
      amount: ['number'],
      currency: ['string'],
      note: ['string'],
      reference: ['string', 'null'],
      settledOrderIds: ['array'],
    },
  },
  'credit.limit_changed': {
    aggregate: 'credit_account',
    shape: {
      retailerId: ['string'],
      previous: ['number'],
      limit: ['number'],
      currency: ['string'],
      reason: ['string'],
      manual: ['boolean'],
      actor: ['object'],
    },
  },
  'credit.limit_overridden': {
    aggregate: 'credit_account',
    shape: {
      retailerId: ['string'],
      orderId: ['string'],
      amount: ['number'],
      available: ['number'],
      currency: ['string'],
      reason: ['string'],
      actor: ['object'],
    },
  },
  'credit.limit_released_to_scoring': {
    aggregate: 'credit_account',
    shape: { retailerId: ['string'], actor: ['object'] },
  },
  'credit.terms_changed': {
    aggregate: 'credit_account',
    shape: { retailerId: ['string'], previous: ['number'], netTermsDays: ['number'] },
  },
  'credit.score_calculated': {
    aggregate: 'credit_account',
    shape: {
      retailerId: ['string'],
      score: ['number'],
      band: ['string'],
      trigger: ['string'],
      recommendedLimit: ['number'],
      limitRule: ['string'],
      limitApplied: ['boolean'],
      manualLimitKept: ['boolean'],
    },
  },
};
