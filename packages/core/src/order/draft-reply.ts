import type { LineResolution } from '../ports/order-text-parser.js';
import type { DraftQuestion, OrderDraft } from './order-draft.js';

const RESOLVED: Record<LineResolution, string> = {
  match: '',
  sku: '',
  history: ' (your usual)',
  default: ' (our usual pick)',
};

const ASKS: Record<DraftQuestion['reason'], string> = {
  UNKNOWN_PRODUCT: 'we do not know this product',
  AMBIGUOUS_PRODUCT: 'which one?',
  LOW_CONFIDENCE: 'did you mean?',
  UNSUPPORTED_UNIT: 'not sold in that unit',
  MISSING_QUANTITY: 'how many?',
  UNCLEAR_QUANTITY: 'how many exactly?',
  NOT_AVAILABLE_IN_AREA: 'not offered in your area',
  OUT_OF_STOCK: 'not enough in stock',
  BELOW_MINIMUM_ORDER: 'below the minimum order',
  UNIT_NOT_SUPPORTED: 'not sold in that unit',
  DUPLICATE_PRODUCT: 'already on the order',
  INVALID_QUANTITY: 'how many?',
};

/**
 * A draft as the plain-text reply a shop reads (WhatsApp, the transcript): each priced line
 * with how it was chosen ("Masoor Dal (your usual)"), each question with its numbered
 * choices, the total, and the available credit before and after.
 */
export function describeDraft(draft: OrderDraft): string {
  const out: string[] = [];
  draft.lines.forEach((l, i) => {
    const { line } = l;
    const price =
      line.priceUnit === line.quantity.unit
        ? `${line.quantity} × ${line.unitPrice.format()}`
        : `${line.quantity} at ${line.unitPrice.format()}/${line.priceUnit}`;
    out.push(`${i + 1}. ${line.name}${RESOLVED[l.resolvedBy]}: ${price} = ${line.lineTotal.format()}`);
  });
  for (const q of draft.questions) {
    const choices = q.choices.map((c, i) => `${i + 1}) ${c.name}`).join('  ');
    out.push(`? "${q.raw}": ${ASKS[q.reason]}${choices ? `  ${choices}` : ''}`);
  }
  out.push(`Total ${draft.total.format()}`);
  out.push(`Available credit ${draft.availableBefore.format()} → ${draft.availableAfter.format()} after this order`);
  if (draft.availableAfter.isNegative()) {
    out.push('Over your available credit: confirming sends it to our team for approval.');
  }
  return out.join('\n');
}
