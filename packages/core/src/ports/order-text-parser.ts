import type { ProductId } from '../shared/ids.js';
import type { Unit } from '../shared/quantity.js';

export type MessageIntent = 'order' | 'status' | 'balance' | 'help' | 'greeting' | 'unknown';

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
  | 'MISSING_QUANTITY';

/** One understood line: what was asked for and which catalog product it matched. */
export interface ParsedOrderLine {
  /** The text of the line as it came in. */
  readonly raw: string;
  /** The product words left after removing quantity and unit ("wai wai"). */
  readonly mention: string;
  readonly quantity: number;
  /** null when the line gave no unit (the product's base unit applies). */
  readonly unit: Unit | null;
  /** The matched product, or null when nothing matched well enough. */
  readonly productId: ProductId | null;
  /** 0..1: how sure the match is. */
  readonly confidence: number;
  /** True when the line must be confirmed by the retailer before it can be ordered. */
  readonly needsClarification: boolean;
  /** The first reason it needs confirming, or null when it does not. */
  readonly clarification: ClarificationReason | null;
  /** Ranked alternatives, best first (also present when matched, for "did you mean"). */
  readonly suggestions: readonly ProductSuggestion[];
}

export interface ParsedOrderText {
  readonly intent: MessageIntent;
  readonly lines: readonly ParsedOrderLine[];
  /** Lines that looked like content but could not be read as an item. */
  readonly unparsed: readonly string[];
  /** For a status question: an order number mentioned in the text ("KH-000042"). */
  readonly orderNumber: string | null;
  /** Which parser answered. */
  readonly source: 'local' | 'ai';
}

/** Understands a free-text WhatsApp message. Never places an order on a guess. */
export interface OrderTextParser {
  parse(text: string): Promise<ParsedOrderText>;
}
