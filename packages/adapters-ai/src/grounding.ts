import {
  conversionFactor,
  type ParsedOrderLine,
  type ParsedOrderText,
  type Product,
  type ProductId,
  type ProductSuggestion,
  type UnderstoodOrderLine,
} from '@khaacho/core';
import type { OrderAnswer } from './order-answer.js';

/**
 * The lines the model may settle: the local parser found real candidates but could not
 * choose (several fit, or the best is weak). A line whose quantity or unit is in doubt,
 * or whose product is unknown, stays a question whatever the model says.
 */
export function openLines(local: ParsedOrderText): number[] {
  const open: number[] = [];
  local.lines.forEach((line, i) => {
    if (
      line.needsClarification &&
      (line.clarification === 'AMBIGUOUS_PRODUCT' || line.clarification === 'LOW_CONFIDENCE') &&
      line.suggestions.length > 0
    ) {
      open.push(i);
    }
  });
  return open;
}

export const SYSTEM_PROMPT = [
  'You read order messages that shops in Nepal send to their wholesaler, in English, romanised Nepali or Devanagari.',
  "For each open line, choose the product the shop means from that line's candidates only, answering its sku.",
  'Answer sku null when no candidate clearly fits, and certain false whenever a careful clerk would ask the shop.',
  'Copy quantity and unit as the line states them; never invent a product, a quantity or an order number.',
  'In evidence, quote the words of the message that point to the chosen product rather than the other candidates.',
  'Classify the whole message intent; give orderNumber only when the message itself contains one.',
].join(' ');

/** The user message: the text and, per open line, the local matcher's best candidates. */
export function groundingPrompt(
  text: string,
  local: ParsedOrderText,
  open: readonly number[],
  perLine: number,
): string {
  return JSON.stringify({
    message: text,
    openLines: open.map((i) => {
      const line = local.lines[i] as ParsedOrderLine;
      return {
        line: i,
        text: line.raw,
        mention: line.mention,
        quantity: line.quantity,
        unit: line.unit,
        candidates: line.suggestions.slice(0, perLine).map((s) => ({ sku: s.sku, name: s.name })),
      };
    }),
  });
}

export interface MergeOutcome {
  readonly parsed: ParsedOrderText;
  /** Lines where the model named a product that was not among the line's candidates (or no longer exists). */
  readonly rejected: number;
  /** Open lines the model's choice settled. */
  readonly settled: number;
}

const INTENTS_FOR_UNKNOWN = new Set(['status', 'balance', 'help', 'greeting', 'cancel', 'repeat']);

/**
 * The local reading with the model's checked choices applied. Every choice is re-matched:
 * the SKU must be one of the candidates offered for that line and still in the catalog,
 * the quantity and unit must be those the line states, and the product must be sold in
 * that unit; otherwise the line stays the local parser's question. The model's intent is
 * taken only for a message the local parser could not classify, and an order number only
 * when the text contains it.
 */
export function mergeAnswer(
  text: string,
  local: ParsedOrderText,
  open: readonly number[],
  answer: OrderAnswer,
  productById: (id: ProductId) => Product | undefined,
): MergeOutcome {
  let rejected = 0;
  let settled = 0;
  const quoted: string[] = [];
  const lines = local.lines.map((line, i): ParsedOrderLine => {
    if (!open.includes(i)) return line;
    const choice = answer.lines.find((l) => l.line === i);
    if (!choice || choice.sku === null) return line;
    const candidate = line.suggestions.find((s) => s.sku === choice.sku);
    const product = candidate ? productById(candidate.productId) : undefined;
    if (!candidate || !product) {
      rejected += 1;
      return line;
    }
    if (!choice.certain || !grounded(text, line, candidate, choice.evidence)) return line;
    const unitSaid = line.unit ?? product.baseUnit;
    const sameAmount =
      Math.abs(choice.quantity - line.quantity) < 1e-9 && (choice.unit ?? product.baseUnit) === unitSaid;
    const sold = line.unit === null || conversionFactor(product, line.unit, product.baseUnit) !== undefined;
    if (!sameAmount || !sold) return line;
    settled += 1;
    quoted.push(choice.evidence.trim().toLowerCase());
    const understood: UnderstoodOrderLine = {
      raw: line.raw,
      mention: line.mention,
      quantity: line.quantity,
      unit: line.unit,
      confidence: candidate.score,
      suggestions: [candidate, ...line.suggestions.filter((s) => s !== candidate)],
      productId: product.id,
      resolvedBy: 'match',
      needsClarification: false,
      clarification: null,
    };
    return understood;
  });
  const intent = local.intent === 'unknown' && INTENTS_FOR_UNKNOWN.has(answer.intent) ? answer.intent : local.intent;
  const orderNumber =
    local.orderNumber ??
    (intent !== local.intent && (intent === 'status' || intent === 'cancel')
      ? mentioned(text, answer.orderNumber)
      : null);
  // Words quoted as evidence were understood: they are no longer "unparsed" leftovers.
  const unparsed =
    settled === 0
      ? local.unparsed
      : local.unparsed.filter((u) => !quoted.some((q) => q.includes(u.trim().toLowerCase())));
  const parsed: ParsedOrderText =
    intent === local.intent
      ? { ...local, lines, unparsed, source: 'ai' }
      : { intent, lines: [], unparsed: [], orderNumber, source: 'ai' };
  return { parsed, rejected, settled };
}

const TIE = 0.05;
const lettersOf = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{M}]{3,}/gu) ?? [];

/**
 * The model's evidence must be words of the message. When the chosen candidate ties with
 * another on the line's own words ("dal 5 kg": chana, masoor and moong alike), those
 * words cannot tell them apart, so the evidence must also hold a word from elsewhere in
 * the message ("dal 5 kg, rato wala"); otherwise the choice is a guess and the line stays
 * a question, as core's rules for generic words require.
 */
function grounded(text: string, line: ParsedOrderLine, chosen: ProductSuggestion, evidence: string): boolean {
  const quote = evidence.trim().toLowerCase();
  if (quote.length === 0 || !text.toLowerCase().includes(quote)) return false;
  const tied = line.suggestions.some((s) => s !== chosen && s.score >= chosen.score - TIE);
  if (!tied) return true;
  const own = new Set(lettersOf(line.raw));
  return lettersOf(quote).some((word) => !own.has(word));
}

/** The order number as the text writes it (without "#"), or null when the text does not contain it. */
function mentioned(text: string, orderNumber: string | null): string | null {
  if (orderNumber === null) return null;
  const bare = orderNumber.replace(/^#/, '').trim();
  if (bare.length < 3) return null;
  const at = text.toLowerCase().indexOf(bare.toLowerCase());
  return at < 0 ? null : text.slice(at, at + bare.length);
}
