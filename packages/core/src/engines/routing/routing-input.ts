import type { Product } from '../../catalog/product.js';
import type { VendorOffer } from '../../catalog/vendor-offer.js';
import type { OrderLine } from '../../order/order-line.js';
import type { Vendor } from '../../parties/vendor.js';
import { ValidationError } from '../../shared/errors.js';
import type { GeoPoint } from '../../shared/geo.js';
import type { OrderId, VendorId } from '../../shared/ids.js';
import type { ReliabilityPrior, VendorReliability } from '../performance/vendor-reliability.js';

/** What the routing engine needs, gathered by the offer use case. */
export interface RoutingInput {
  readonly orderId: OrderId;
  readonly asOf: Date;
  readonly retailer: { readonly area: string; readonly location: GeoPoint | null };
  readonly lines: readonly OrderLine[];
  /** The lines' products (for unit conversions between order and offer units). */
  readonly products: readonly Product[];
  /** Vendor candidates, e.g. `vendors.listActiveServing(area)`; the engine re-checks status and area. */
  readonly vendors: readonly Vendor[];
  /** Offers for the lines' products, e.g. `offers.listActiveForProducts(...)`. */
  readonly offers: readonly VendorOffer[];
  /** Vendors already offered this order (`order.triedVendorIds()`). */
  readonly triedVendorIds: readonly VendorId[];
  /** Orders each vendor confirmed today (`orders.countConfirmedForVendorSince`); missing = 0. */
  readonly confirmedToday: ReadonlyMap<VendorId, number>;
  /** From the performance engine; a vendor without an entry gets the prior. */
  readonly reliability?: ReadonlyMap<VendorId, Pick<VendorReliability, 'score' | 'sampleSize'>>;
  readonly reliabilityPrior?: ReliabilityPrior;
}

export interface RoutingWeights {
  readonly price: number;
  readonly coverage: number;
  readonly reliability: number;
  readonly distance: number;
  readonly load: number;
}

/*
 * Judgement call: price and coverage lead (30 % each): the retailer pays the price and a
 * vendor missing lines means a second order; reliability 20 % (a rejection costs 15
 * minutes); distance and load 10 % each as tie-breakers between comparable vendors.
 */
export const DEFAULT_ROUTING_WEIGHTS: RoutingWeights = {
  price: 0.3,
  coverage: 0.3,
  reliability: 0.2,
  distance: 0.1,
  load: 0.1,
};

export interface RoutingOptions {
  /** Distance at which the distance factor is 0.5 (factor = 1 / (1 + km / halfKm)). */
  readonly distanceHalfKm: number;
  /** Neutral factor when either party has no coordinates. */
  readonly neutralDistance: number;
  /**
   * Rank vendors that cover every line above those that do not. Splitting an order
   * across vendors is not supported yet, so a partial vendor cannot fulfil the order.
   */
  readonly preferFullCoverage: boolean;
}

export const DEFAULT_ROUTING_OPTIONS: RoutingOptions = {
  distanceHalfKm: 10,
  neutralDistance: 0.5,
  preferFullCoverage: true,
};

/** Merge and normalise weights to sum to 1; negative, non-finite or all-zero weights are refused. */
export function resolveRoutingWeights(weights: Partial<RoutingWeights> = {}): RoutingWeights {
  const w = { ...DEFAULT_ROUTING_WEIGHTS, ...weights };
  const values = [w.price, w.coverage, w.reliability, w.distance, w.load];
  if (values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new ValidationError('routing weights must be finite and ≥ 0', { weights: w });
  }
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new ValidationError('routing weights must not all be zero', { weights: w });
  return {
    price: w.price / total,
    coverage: w.coverage / total,
    reliability: w.reliability / total,
    distance: w.distance / total,
    load: w.load / total,
  };
}
