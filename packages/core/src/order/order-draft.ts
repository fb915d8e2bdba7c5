import type { ClarificationReason, LineResolution, ProductSuggestion } from '../ports/order-text-parser.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { DraftId, OrderId, ProductId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { isUnit, type Unit } from '../shared/quantity.js';
import { type OrderLine, type OrderLineJSON, orderLineFromJSON, orderLineToJSON } from './order-line.js';
import type { OrderSource } from './order-source.js';

/** How long a draft can be confirmed, unless the service configures otherwise. */
export const DEFAULT_DRAFT_TTL_MS = 30 * 60_000;

/**
 * OPEN until confirmed once (CONFIRMED, with its order) or replaced by a fresh draft because
 * a price changed (SUPERSEDED, pointing at the fresh one). Expiry is a time, not a status.
 */
export const DRAFT_STATUSES = ['OPEN', 'CONFIRMED', 'SUPERSEDED'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/** A line priced from live offers, with the rule that chose its product ("your usual"). */
export interface DraftLine {
  readonly raw: string;
  readonly line: OrderLine;
  readonly resolvedBy: LineResolution;
}

/**
 * Why a line is not in the priced draft: the parser's question (which product, which unit,
 * how many) or a reason it cannot be priced now (`NOT_AVAILABLE_IN_AREA`, `OUT_OF_STOCK`, …).
 */
export type DraftQuestionReason =
  | ClarificationReason
  | 'NOT_AVAILABLE_IN_AREA'
  | 'OUT_OF_STOCK'
  | 'BELOW_MINIMUM_ORDER'
  | 'UNIT_NOT_SUPPORTED'
  | 'DUPLICATE_PRODUCT'
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_QUANTITY';

/** A line the shop must answer before it can be ordered; it is not part of the total. */
export interface DraftQuestion {
  readonly raw: string;
  readonly mention: string;
  readonly quantity: number;
  readonly unit: Unit | null;
  readonly reason: DraftQuestionReason;
  readonly message: string | null;
  /** Ranked product choices, best first (up to 3). */
  readonly choices: readonly ProductSuggestion[];
}

/**
 * A priced, not yet placed order built from a shop's message. `availableBefore` is the shop's
 * available credit when the draft was made and `availableAfter` what would be left after it
 * (negative when the draft is over the limit: it would be held, not rejected).
 */
export interface OrderDraft {
  readonly id: DraftId;
  readonly retailerId: RetailerId;
  readonly text: string;
  readonly source: OrderSource;
  readonly lines: readonly DraftLine[];
  readonly questions: readonly DraftQuestion[];
  readonly total: Money;
  readonly availableBefore: Money;
  readonly availableAfter: Money;
  /** For "order what fits": the CREDIT_LIMIT-held order that confirming this draft cancels. */
  readonly replacesOrderId: OrderId | null;
  readonly status: DraftStatus;
  readonly orderId: OrderId | null;
  readonly supersededBy: DraftId | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export function isDraftExpired(draft: OrderDraft, now: Date): boolean {
  return now.getTime() >= draft.expiresAt.getTime();
}

/** Over the available credit: placing it would hold the order (CREDIT_LIMIT). */
export function isDraftOverLimit(draft: OrderDraft): boolean {
  return draft.availableAfter.isNegative();
}

/** The parts of a draft kept as one JSON document: what does not need a column of its own. */
export interface OrderDraftBodyJSON {
  readonly text: string;
  readonly source: OrderSource;
  readonly lines: readonly { raw: string; line: OrderLineJSON; resolvedBy: LineResolution }[];
  readonly questions: readonly DraftQuestion[];
  readonly availableBefore: number;
  readonly availableAfter: number;
}

export function draftBodyToJSON(d: OrderDraft): OrderDraftBodyJSON {
  return {
    text: d.text,
    source: d.source,
    lines: d.lines.map((l) => ({ raw: l.raw, line: orderLineToJSON(l.line), resolvedBy: l.resolvedBy })),
    questions: d.questions.map((q) => ({ ...q, choices: q.choices.map((c) => ({ ...c })) })),
    availableBefore: d.availableBefore.amount,
    availableAfter: d.availableAfter.amount,
  };
}

/** The stored columns of a draft, beside its body. */
export interface OrderDraftColumns {
  readonly id: DraftId;
  readonly retailerId: RetailerId;
  readonly total: Money;
  readonly replacesOrderId: OrderId | null;
  readonly status: DraftStatus;
  readonly orderId: OrderId | null;
  readonly supersededBy: DraftId | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The way back from storage; refuses a body that is not a draft's. */
export function draftFromStored(columns: OrderDraftColumns, body: OrderDraftBodyJSON): OrderDraft {
  if (!(DRAFT_STATUSES as readonly string[]).includes(columns.status)) {
    throw new ValidationError(`unknown draft status ${columns.status}`, {}, ErrorCodes.CONSTRAINT_VIOLATED);
  }
  const currency = columns.total.currency;
  return {
    ...columns,
    text: body.text,
    source: body.source,
    lines: body.lines.map((l) => ({ raw: l.raw, line: orderLineFromJSON(l.line), resolvedBy: l.resolvedBy })),
    questions: body.questions.map((q) => ({
      raw: q.raw,
      mention: q.mention,
      quantity: q.quantity,
      unit: q.unit !== null && isUnit(q.unit) ? q.unit : null,
      reason: q.reason,
      message: q.message ?? null,
      choices: q.choices.map((c) => ({
        productId: c.productId as ProductId,
        sku: c.sku,
        name: c.name,
        score: c.score,
      })),
    })),
    availableBefore: Money.of(body.availableBefore, currency),
    availableAfter: Money.of(body.availableAfter, currency),
  };
}
