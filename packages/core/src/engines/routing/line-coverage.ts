import { conversionRatio, type Product } from '../../catalog/product.js';
import type { VendorOffer } from '../../catalog/vendor-offer.js';
import type { OrderLine } from '../../order/order-line.js';
import type { ProductId } from '../../shared/ids.js';
import type { Money } from '../../shared/money.js';
import { ONE_TO_ONE, QUANTITY_SCALE } from '../../shared/quantity.js';
import { compareStrings } from '../shared/stats.js';

/** How one vendor stands on one order line. */
export interface LineCoverage {
  readonly lineIndex: number;
  readonly productId: ProductId;
  /** The vendor has an active offer whose unit converts to the line's unit. */
  readonly offered: boolean;
  /** The line's quantity priced at the vendor's offer (null when not offered). */
  readonly cost: Money | null;
  /** Share of the line's quantity in stock, 0..1 (0 below the minimum order quantity). */
  readonly fill: number;
  /** Fully in stock and at least the minimum order quantity. */
  readonly covered: boolean;
}

/**
 * Evaluate a vendor's offers against the order lines. Quantities are converted to the
 * offer's unit with the product's `conversionFactor` (2 carton → 48 packet) and priced
 * with integer arithmetic (thousandths of a unit × paisa), so costs are exact.
 */
export function vendorLineCoverage(
  lines: readonly OrderLine[],
  vendorOffers: readonly VendorOffer[],
  products: ReadonlyMap<ProductId, Product>,
): LineCoverage[] {
  return lines.map((line, lineIndex) => {
    const none: LineCoverage = {
      lineIndex,
      productId: line.productId,
      offered: false,
      cost: null,
      fill: 0,
      covered: false,
    };
    const offer = vendorOffers
      .filter((o) => o.active && o.productId === line.productId)
      .sort((a, b) => compareStrings(a.id, b.id))[0];
    if (!offer) return none;
    const product = products.get(line.productId);
    const r =
      line.quantity.unit === offer.unit
        ? ONE_TO_ONE
        : product
          ? conversionRatio(product, line.quantity.unit, offer.unit)
          : undefined;
    if (r === undefined) return none;
    const cost = offer.unitPrice.multiplyRatio(
      BigInt(line.quantity.milli) * BigInt(r.numerator),
      BigInt(QUANTITY_SCALE) * BigInt(r.denominator),
    );
    // Stock and minimum are compared in thousandths of the offer's unit (rounded, like the stock figure).
    const milliInOfferUnit = Math.round((line.quantity.milli * r.numerator) / r.denominator);
    if (milliInOfferUnit <= 0) return none;
    const stockMilli = Math.round(offer.stockOnHand * QUANTITY_SCALE);
    const meetsMinimum = milliInOfferUnit >= Math.round(offer.minOrderQty * QUANTITY_SCALE);
    const fill = meetsMinimum ? Math.min(1, stockMilli / milliInOfferUnit) : 0;
    return { lineIndex, productId: line.productId, offered: true, cost, fill, covered: fill >= 1 };
  });
}
