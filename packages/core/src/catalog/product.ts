import { ValidationError } from '../shared/errors.js';
import type { ProductId } from '../shared/ids.js';
import {
  decimalRatio,
  invertRatio,
  isUnit,
  MAX_CONVERSION_DECIMALS,
  multiplyRatios,
  ONE_TO_ONE,
  Quantity,
  type Unit,
  type UnitRatio,
  universalRatio,
} from '../shared/quantity.js';
import { optionalFlag, requirePositiveNumber, requireText } from '../shared/text.js';

/** en: English, ne: Devanagari Nepali, ne-Latn: romanized Nepali ("chamal"). */
export type AliasLanguage = 'en' | 'ne' | 'ne-Latn';

export interface ProductAlias {
  readonly text: string;
  readonly language: AliasLanguage;
}

/** `1 unit = toBase × product.baseUnit` (1 carton = 24 packet). */
export interface UnitConversion {
  readonly unit: Unit;
  readonly toBase: number;
}

export interface Product {
  readonly id: ProductId;
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly baseUnit: Unit;
  readonly conversions: readonly UnitConversion[];
  readonly aliases: readonly ProductAlias[];
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProductInput {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly baseUnit: Unit;
  readonly conversions?: readonly UnitConversion[];
  readonly aliases?: readonly ProductAlias[];
  readonly active?: boolean;
}

const SKU = /^[A-Z0-9][A-Z0-9._-]{1,39}$/;

export function normalizeSku(sku: string): string {
  const s = sku.trim().toUpperCase();
  if (!SKU.test(s)) throw new ValidationError('sku must be 2-40 of A-Z, 0-9, . _ -', { sku });
  return s;
}

/** Build (or rebuild, keeping id and createdAt) a validated product. */
export function createProduct(input: ProductInput, id: ProductId, now: Date, existing?: Product): Product {
  if (!isUnit(input.baseUnit)) throw new ValidationError('unknown base unit', { unit: input.baseUnit });
  const conversions = (input.conversions ?? []).map((c) => {
    if (!isUnit(c.unit)) throw new ValidationError('unknown unit in conversion', { unit: c.unit });
    if (c.unit === input.baseUnit) throw new ValidationError('a conversion to the base unit itself is implicit');
    const toBase = requirePositiveNumber(c.toBase, `conversion ${c.unit}`);
    if (decimalRatio(toBase) === undefined) {
      throw new ValidationError(`conversion ${c.unit} allows at most ${MAX_CONVERSION_DECIMALS} decimals`, {
        unit: c.unit,
        toBase,
      });
    }
    return { unit: c.unit, toBase };
  });
  if (new Set(conversions.map((c) => c.unit)).size !== conversions.length) {
    throw new ValidationError('duplicate unit conversion');
  }
  const seen = new Set<string>();
  const aliases: ProductAlias[] = [];
  for (const a of input.aliases ?? []) {
    const text = requireText(a.text, 'alias', 100);
    if (!['en', 'ne', 'ne-Latn'].includes(a.language)) {
      throw new ValidationError('alias language must be en, ne or ne-Latn', { language: a.language });
    }
    const key = `${a.language}:${text.toLowerCase()}`;
    if (!seen.has(key)) {
      seen.add(key);
      aliases.push({ text, language: a.language });
    }
  }
  return {
    id: existing?.id ?? id,
    sku: normalizeSku(input.sku),
    name: requireText(input.name, 'name'),
    category: requireText(input.category, 'category', 80).toLowerCase(),
    baseUnit: input.baseUnit,
    conversions,
    aliases,
    active: optionalFlag(input.active, 'active', true),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/**
 * How many `to` make one `from` for this product, exactly (1 packet = 1/24 carton), or
 * undefined if the units don't relate or the ratio does not fit in safe integers.
 */
export function conversionRatio(product: Product, from: Unit, to: Unit): UnitRatio | undefined {
  const universal = universalRatio(from, to);
  if (universal !== undefined) return universal;
  const toBase = (unit: Unit): UnitRatio | undefined => {
    if (unit === product.baseUnit) return ONE_TO_ONE;
    const direct = product.conversions.find((c) => c.unit === unit);
    if (direct !== undefined) return decimalRatio(direct.toBase);
    // e.g. base kg, asked in g: go through the universal table.
    const viaUniversal = universalRatio(unit, product.baseUnit);
    if (viaUniversal !== undefined) return viaUniversal;
    for (const c of product.conversions) {
      const u = universalRatio(unit, c.unit);
      const cb = decimalRatio(c.toBase);
      if (u !== undefined && cb !== undefined) return multiplyRatios(u, cb);
    }
    return undefined;
  };
  const a = toBase(from);
  const b = toBase(to);
  return a === undefined || b === undefined ? undefined : multiplyRatios(a, invertRatio(b));
}

/** `conversionRatio` as a number, for estimates (forecasts, suggestions); never for money. */
export function conversionFactor(product: Product, from: Unit, to: Unit): number | undefined {
  const r = conversionRatio(product, from, to);
  return r === undefined ? undefined : r.numerator / r.denominator;
}

export function convertQuantity(product: Product, quantity: Quantity, to: Unit): Quantity | undefined {
  if (quantity.unit === to) return quantity;
  const factor = conversionFactor(product, quantity.unit, to);
  return factor === undefined ? undefined : quantity.scaled(factor, to);
}

/** The units a retailer may order this product in. */
export function unitsOf(product: Product): Unit[] {
  return [product.baseUnit, ...product.conversions.map((c) => c.unit)];
}

export { Quantity };
