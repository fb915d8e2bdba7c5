import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { optionalFlag } from '../shared/text.js';
import type { ProductId, VendorId, VendorOfferId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import { storableDecimal } from '../shared/decimals.js';
import { isUnit, type Unit } from '../shared/quantity.js';

/** A vendor's standing offer for one product: price per `unit`, stock in that unit. */
export interface VendorOffer {
  readonly id: VendorOfferId;
  readonly vendorId: VendorId;
  readonly productId: ProductId;
  readonly unit: Unit;
  readonly unitPrice: Money;
  readonly stockOnHand: number;
  readonly minOrderQty: number;
  readonly leadTimeHours: number;
  readonly active: boolean;
  readonly updatedAt: Date;
}

export interface VendorOfferInput {
  readonly vendorId: VendorId;
  readonly productId: ProductId;
  readonly unit: Unit;
  readonly unitPrice: Money;
  readonly stockOnHand: number;
  readonly minOrderQty?: number;
  readonly leadTimeHours?: number;
  readonly active?: boolean;
}

/** Every change of an offer's price is kept (price intelligence reads this history). */
export interface PriceChange {
  readonly vendorId: VendorId;
  readonly productId: ProductId;
  readonly unit: Unit;
  readonly previousPrice: Money | null;
  readonly price: Money;
  readonly changedAt: Date;
}

/** The history entry for an offer's current price; `previous` is the offer it replaces, if any. */
export function priceChangeOf(offer: VendorOffer, previous: VendorOffer | null, at: Date): PriceChange {
  return {
    vendorId: offer.vendorId,
    productId: offer.productId,
    unit: offer.unit,
    previousPrice: previous && previous.unit === offer.unit ? previous.unitPrice : null,
    price: offer.unitPrice,
    changedAt: at,
  };
}

export function createVendorOffer(input: VendorOfferInput, id: VendorOfferId, now: Date): VendorOffer {
  if (!isUnit(input.unit)) throw new ValidationError('unknown unit', { unit: input.unit }, ErrorCodes.UNKNOWN_UNIT);
  if (input.unitPrice.isNegative()) throw new ValidationError('unit price must not be negative');
  // The store keeps stock and minimum as numeric(14,3), lead time as numeric(10,2).
  const stockOnHand = storableDecimal(input.stockOnHand, 'stockOnHand', 14, 3);
  const minOrderQty = storableDecimal(input.minOrderQty ?? 0, 'minOrderQty', 14, 3);
  const leadTimeHours = storableDecimal(input.leadTimeHours ?? 24, 'leadTimeHours', 10, 2);
  return {
    id,
    vendorId: input.vendorId,
    productId: input.productId,
    unit: input.unit,
    unitPrice: input.unitPrice,
    stockOnHand,
    minOrderQty,
    leadTimeHours,
    active: optionalFlag(input.active, 'active', true),
    updatedAt: now,
  };
}
