import { conversionFactor, type Product } from '../../catalog/product.js';
import type { Money } from '../../shared/money.js';
import type { Unit } from '../../shared/quantity.js';

const MICRO = 1_000_000;

/**
 * A price per `unit` re-expressed per the product's base unit (NPR 2,400 a carton of 24
 * packets → NPR 100 a packet), half-up to the paisa. The factor is fixed to six decimals
 * so the division is integer arithmetic. Null when the units do not relate.
 */
export function pricePerBaseUnit(product: Product, price: Money, unit: Unit): Money | null {
  if (unit === product.baseUnit) return price;
  const factor = conversionFactor(product, unit, product.baseUnit);
  if (factor === undefined || !(factor > 0)) return null;
  const microFactor = Math.round(factor * MICRO);
  if (microFactor <= 0) return null;
  return price.multiplyRatio(MICRO, microFactor);
}
