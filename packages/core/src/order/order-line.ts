import { ValidationError } from '../shared/errors.js';
import type { ProductId } from '../shared/ids.js';
import { Money, type MoneyJSON } from '../shared/money.js';
import {
  isUnit,
  ONE_TO_ONE,
  QUANTITY_SCALE,
  Quantity,
  type QuantityJSON,
  type Unit,
  type UnitRatio,
} from '../shared/quantity.js';

export interface OrderLine {
  readonly productId: ProductId;
  readonly sku: string;
  readonly name: string;
  /** What the retailer ordered, in the retailer's unit. */
  readonly quantity: Quantity;
  /** Price per `priceUnit`. */
  readonly unitPrice: Money;
  /**
   * The unit the price is quoted in: the retailer's unit when the vendor's price converts
   * to it exactly (1 carton = 24 packet), else the vendor's unit (30 packet at a carton price).
   */
  readonly priceUnit: Unit;
  /** unitPrice × quantity expressed in priceUnit, computed exactly and rounded half-up once. */
  readonly lineTotal: Money;
}

export interface OrderLineJSON {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: QuantityJSON;
  readonly unitPrice: MoneyJSON;
  readonly priceUnit: Unit;
  readonly lineTotal: MoneyJSON;
}

export interface OrderLineInput {
  readonly productId: ProductId;
  readonly sku: string;
  readonly name: string;
  readonly quantity: Quantity;
  readonly unitPrice: Money;
  /** Defaults to the quantity's unit. */
  readonly priceUnit?: Unit;
  /** 1 quantity.unit = ratio priceUnit; required when priceUnit differs from the quantity's unit. */
  readonly perPriceUnit?: UnitRatio;
}

export function orderLine(input: OrderLineInput): OrderLine {
  if (input.unitPrice.isNegative()) throw new ValidationError('unit price must not be negative', { sku: input.sku });
  const priceUnit = input.priceUnit ?? input.quantity.unit;
  const r = priceUnit === input.quantity.unit ? ONE_TO_ONE : input.perPriceUnit;
  if (r === undefined) {
    throw new ValidationError('a price in another unit needs the conversion ratio', {
      sku: input.sku,
      unit: input.quantity.unit,
      priceUnit,
    });
  }
  const lineTotal = input.unitPrice.multiplyRatio(
    BigInt(input.quantity.milli) * BigInt(r.numerator),
    BigInt(QUANTITY_SCALE) * BigInt(r.denominator),
  );
  return {
    productId: input.productId,
    sku: input.sku,
    name: input.name,
    quantity: input.quantity,
    unitPrice: input.unitPrice,
    priceUnit,
    lineTotal,
  };
}

export function orderLineToJSON(line: OrderLine): OrderLineJSON {
  return {
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity.toJSON(),
    unitPrice: line.unitPrice.toJSON(),
    priceUnit: line.priceUnit,
    lineTotal: line.lineTotal.toJSON(),
  };
}

/** The stored total is the agreed one: it is restored, not recomputed. */
export function orderLineFromJSON(json: OrderLineJSON): OrderLine {
  const quantity = Quantity.fromJSON(json.quantity);
  const priceUnit = json.priceUnit ?? quantity.unit;
  if (!isUnit(priceUnit)) throw new ValidationError('unknown price unit', { priceUnit });
  return {
    productId: json.productId as ProductId,
    sku: json.sku,
    name: json.name,
    quantity,
    unitPrice: Money.fromJSON(json.unitPrice),
    priceUnit,
    lineTotal: Money.fromJSON(json.lineTotal),
  };
}
