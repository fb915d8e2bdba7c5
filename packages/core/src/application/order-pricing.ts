import { conversionRatio, type Product } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import { type OrderLine, orderLine } from '../order/order-line.js';
import type { Vendor } from '../parties/vendor.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { QUANTITY_SCALE, Quantity, type Unit } from '../shared/quantity.js';
import { DomainError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';

export interface OrderLineRequest {
  readonly productId?: ProductId;
  readonly sku?: string;
  readonly quantity: number;
  /** Absent or null: the product's base unit (a parsed line says null when it gave none). */
  readonly unit?: Unit | null;
}

export type LineProblemCode =
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_QUANTITY'
  | 'UNIT_NOT_SUPPORTED'
  | 'NOT_AVAILABLE_IN_AREA'
  | 'OUT_OF_STOCK'
  | 'BELOW_MINIMUM_ORDER'
  | 'DUPLICATE_PRODUCT';

export interface LineProblem {
  readonly index: number;
  readonly code: LineProblemCode;
  readonly message: string;
}

interface OfferQuote {
  readonly offer: VendorOffer;
  readonly line: OrderLine;
}

/**
 * Price each line at the best (cheapest) offer that can actually serve it: an active
 * offer of an active vendor serving the retailer's area, with enough stock and the
 * quantity at or above its minimum. The quoted price is what the retailer confirms and
 * pays; vendors are then offered the order at that price (routing scores them on it).
 *
 * The line keeps the retailer's quantity and unit. When the line's unit is a whole
 * multiple of the offer's unit (1 carton = 24 packet) the price converts exactly: the
 * carton price is 24 × the packet price. Otherwise the price stays in the offer's unit
 * (30 packet at the carton price) and the total is computed with the exact ratio and
 * rounded once, so money is never multiplied by a rounded fraction.
 */
export function quoteOrderLines(
  requests: readonly OrderLineRequest[],
  products: ReadonlyMap<string, Product>,
  offers: readonly VendorOffer[],
  vendorsServingArea: readonly Vendor[],
): Result<OrderLine[], LineProblem[]> {
  const eligibleVendors = new Set<VendorId>(vendorsServingArea.filter((v) => v.status === 'ACTIVE').map((v) => v.id));
  const problems: LineProblem[] = [];
  const lines: OrderLine[] = [];
  const seen = new Set<string>();
  requests.forEach((req, index) => {
    const product = req.productId
      ? products.get(req.productId)
      : req.sku
        ? products.get(`sku:${req.sku.toUpperCase()}`)
        : undefined;
    if (!product?.active) {
      problems.push({ index, code: 'UNKNOWN_PRODUCT', message: `unknown product ${req.sku ?? req.productId ?? ''}` });
      return;
    }
    if (seen.has(product.id)) {
      problems.push({ index, code: 'DUPLICATE_PRODUCT', message: `${product.name} appears twice; merge the lines` });
      return;
    }
    seen.add(product.id);
    const unit = req.unit ?? product.baseUnit;
    let quantity: Quantity;
    try {
      quantity = Quantity.of(req.quantity, unit);
    } catch {
      problems.push({ index, code: 'INVALID_QUANTITY', message: `invalid quantity ${req.quantity}` });
      return;
    }
    const productOffers = offers.filter((o) => o.productId === product.id && o.active);
    const inArea = productOffers.filter((o) => eligibleVendors.has(o.vendorId));
    if (inArea.length === 0) {
      problems.push({ index, code: 'NOT_AVAILABLE_IN_AREA', message: `${product.name} is not offered in your area` });
      return;
    }
    const quotes: OfferQuote[] = [];
    let unitMismatch = true;
    let belowMoq = false;
    for (const offer of inArea) {
      const quote = quoteAgainstOffer(product, quantity, offer);
      if (quote === 'UNIT') continue;
      unitMismatch = false;
      if (quote === 'MOQ') belowMoq = true;
      else if (quote !== 'STOCK') quotes.push({ offer, line: quote });
    }
    if (quotes.length === 0) {
      const code: LineProblemCode = unitMismatch
        ? 'UNIT_NOT_SUPPORTED'
        : belowMoq
          ? 'BELOW_MINIMUM_ORDER'
          : 'OUT_OF_STOCK';
      const message =
        code === 'UNIT_NOT_SUPPORTED'
          ? `${product.name} is not sold by the ${unit}`
          : code === 'BELOW_MINIMUM_ORDER'
            ? `${quantity} of ${product.name} is below the minimum order`
            : `not enough ${product.name} in stock for ${quantity}`;
      problems.push({ index, code, message });
      return;
    }
    quotes.sort(
      (a, b) =>
        a.line.lineTotal.compare(b.line.lineTotal) ||
        (a.offer.vendorId < b.offer.vendorId ? -1 : a.offer.vendorId > b.offer.vendorId ? 1 : 0),
    );
    lines.push((quotes[0] as OfferQuote).line);
  });
  return problems.length > 0 ? err(problems) : ok(lines);
}

function quoteAgainstOffer(
  product: Product,
  quantity: Quantity,
  offer: VendorOffer,
): OrderLine | 'UNIT' | 'STOCK' | 'MOQ' {
  const r = conversionRatio(product, quantity.unit, offer.unit);
  if (r === undefined) return 'UNIT';
  const inOfferUnit = (quantity.milli * r.numerator) / r.denominator / QUANTITY_SCALE;
  if (inOfferUnit > offer.stockOnHand + 1e-9) return 'STOCK';
  if (inOfferUnit + 1e-9 < offer.minOrderQty) return 'MOQ';
  const base = { productId: product.id, sku: product.sku, name: product.name, quantity };
  try {
    if (r.denominator === 1) return orderLine({ ...base, unitPrice: offer.unitPrice.times(r.numerator) });
    return orderLine({ ...base, unitPrice: offer.unitPrice, priceUnit: offer.unit, perPriceUnit: r });
  } catch (e) {
    // A price too large to convert is a unit we cannot sell in, not a crash.
    if (DomainError.is(e)) return 'UNIT';
    throw e;
  }
}
