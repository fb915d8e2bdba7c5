import { ValidationError } from '../shared/errors.js';
import type { ProductId } from '../shared/ids.js';
import { Money, type MoneyJSON } from '../shared/money.js';
import { QUANTITY_SCALE, Quantity, type QuantityJSON } from '../shared/quantity.js';

export interface OrderLine {
  readonly productId: ProductId;
  readonly sku: string;
  readonly name: string;
  readonly quantity: Quantity;
  /** Price per `quantity.unit`. */
  readonly unitPrice: Money;
  /** unitPrice × quantity, rounded half-up to the paisa. */
  readonly lineTotal: Money;
}

export interface OrderLineJSON {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: QuantityJSON;
  readonly unitPrice: MoneyJSON;
  readonly lineTotal: MoneyJSON;
}

export function orderLine(input: Omit<OrderLine, 'lineTotal'>): OrderLine {
  if (input.unitPrice.isNegative()) throw new ValidationError('unit price must not be negative', { sku: input.sku });
  return { ...input, lineTotal: input.unitPrice.multiplyRatio(input.quantity.milli, QUANTITY_SCALE) };
}

export function orderLineToJSON(line: OrderLine): OrderLineJSON {
  return {
    productId: line.productId,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity.toJSON(),
    unitPrice: line.unitPrice.toJSON(),
    lineTotal: line.lineTotal.toJSON(),
  };
}

export function orderLineFromJSON(json: OrderLineJSON): OrderLine {
  return orderLine({
    productId: json.productId as ProductId,
    sku: json.sku,
    name: json.name,
    quantity: Quantity.fromJSON(json.quantity),
    unitPrice: Money.fromJSON(json.unitPrice),
  });
}
