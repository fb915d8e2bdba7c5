import type { ProductId } from '../shared/ids.js';
import type { PurchaseRecord } from './purchase-history.js';
import type { Unit } from '../shared/quantity.js';
import { type Token, token } from '../shared/token.js';

/**
 * `cancel` and `repeat` ("cancel my last order", "same as last week") are resolved against
 * the shop's orders by the caller; `orderNumber` carries the order when one is named.
 */
export type MessageIntent = 'order' | 'status' | 'balance' | 'help' | 'greeting' | 'cancel' | 'repeat' | 'unknown';

export interface ProductSuggestion {
  readonly productId: ProductId;
  readonly sku: string;
  readonly name: string;
  /** 0..1, higher is a closer match. */
  readonly score: number;
}

/** Why a line must be confirmed by the retailer: decides which question the reply asks. */
export type ClarificationReason =
  | 'UNKNOWN_PRODUCT'
  | 'AMBIGUOUS_PRODUCT'
  | 'LOW_CONFIDENCE'
  | 'UNSUPPORTED_UNIT'
  | 'MISSING_QUANTITY'
  /** The numbers can be read more than one way ("chamal 25 4", "coke 12 x 24"): never guessed. */
  | 'UNCLEAR_QUANTITY';

/** What every parsed line carries, understood or not. */
interface ParsedLineBase {
  /** The text of the line as it came in. */
  readonly raw: string;
  /** The product words left after removing quantity and unit ("wai wai"). */
  readonly mention: string;
  readonly quantity: number;
  /** null when the line gave no unit (the product's base unit applies, as in `OrderLineRequest`). */
  readonly unit: Unit | null;
  /** 0..1: how sure the match is. */
  readonly confidence: number;
  /** Ranked alternatives, best first (also present when matched, for "did you mean"). */
  readonly suggestions: readonly ProductSuggestion[];
}

/**
 * Which rule chose the product of an understood line: the words named it (a pack size may
 * have picked the variant), a SKU, the shop's own history for a generic word (the reply can
 * say "Masoor Dal (your usual)"), or the catalog's default for that word.
 */
export type LineResolution = 'match' | 'sku' | 'history' | 'default';

/**
 * A line matched to one product with nothing to confirm. It is an `OrderLineRequest` as it
 * stands: `{ productId, quantity, unit }` maps across without ceremony.
 */
export interface UnderstoodOrderLine extends ParsedLineBase {
  readonly productId: ProductId;
  readonly resolvedBy: LineResolution;
  readonly needsClarification: false;
  readonly clarification: null;
}

/** A line the retailer must confirm before it can be ordered: never ordered on a guess. */
export interface UnclearOrderLine extends ParsedLineBase {
  /** The match when there is one (e.g. the unit is not sold), else null. */
  readonly productId: ProductId | null;
  readonly needsClarification: true;
  /** The first reason it needs confirming: decides which question the reply asks. */
  readonly clarification: ClarificationReason;
}

/** One parsed line; narrow on `needsClarification` to get an orderable one. */
export type ParsedOrderLine = UnderstoodOrderLine | UnclearOrderLine;

export interface ParsedOrderText {
  readonly intent: MessageIntent;
  readonly lines: readonly ParsedOrderLine[];
  /** Lines that looked like content but could not be read as an item. */
  readonly unparsed: readonly string[];
  /**
   * For a status or cancel message: the order it names. Our own numbers come back in the form
   * the order repository issues ("KH-000042"); another system's reference ("#ORD-7781",
   * "458812") comes back as written, without "#", for the caller to look up.
   */
  readonly orderNumber: string | null;
  /** Which parser answered. */
  readonly source: 'local' | 'ai';
}

/**
 * What the parser may know about the shop and the catalog beyond the catalog itself. A
 * generic mention that fits several products resolves to the product this shop buys most
 * often (`history`), else to the catalog's default for the word (`defaults`), else it is a
 * question with the top choices.
 */
export interface ParseContext {
  /** The shop's recent purchases, from the `PurchaseHistory` port. */
  readonly history?: readonly PurchaseRecord[];
  /** Catalog defaults for generic words, keyed by the mention in lower case ("dal" → Masoor Dal). */
  readonly defaults?: ReadonlyMap<string, ProductId>;
}

/** Understands a free-text WhatsApp message. Never places an order on a guess. */
export interface OrderTextParser {
  parse(text: string, context?: ParseContext): Promise<ParsedOrderText>;
  /**
   * A parser fixed at the catalog as it is now, for the several parses of one message: the
   * catalog version is looked up once for them all instead of once each. Optional: without
   * it each parse is checked on its own.
   */
  pinned?(): Promise<OrderTextParser>;
}

export const ORDER_TEXT_PARSER: Token<OrderTextParser> = token('OrderTextParser');
