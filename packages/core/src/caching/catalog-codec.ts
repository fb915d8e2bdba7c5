import type { AliasLanguage, Product, ProductAlias, UnitConversion } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import type { JsonObject, JsonValue } from '../shared/domain-event.js';
import type { ProductId, VendorId, VendorOfferId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { isUnit } from '../shared/quantity.js';

/*
 * Products and offers as cache entries. Dates travel as ISO-8601 (millisecond precision,
 * which is all a JS Date holds) and Money as integer minor units plus currency, so a
 * round trip gives back an equal value. A decoder answers null for anything it does not
 * recognise (an entry from another release, a hand-edited key): the caller treats that
 * as a miss and reads the database, never as data.
 */

export function productToJson(p: Product): JsonObject {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    category: p.category,
    baseUnit: p.baseUnit,
    conversions: p.conversions.map((c) => ({ unit: c.unit, toBase: c.toBase })),
    aliases: p.aliases.map((a) => ({ text: a.text, language: a.language })),
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function productFromJson(v: JsonValue | null): Product | null {
  if (!isObject(v)) return null;
  const { id, sku, name, category, baseUnit, conversions, aliases, active } = v;
  const createdAt = dateOf(v.createdAt);
  const updatedAt = dateOf(v.updatedAt);
  if (!isText(id) || !isText(sku) || !isText(name) || !isText(category)) return null;
  if (!isText(baseUnit) || !isUnit(baseUnit) || typeof active !== 'boolean') return null;
  if (!Array.isArray(conversions) || !Array.isArray(aliases) || !createdAt || !updatedAt) return null;
  const conv: UnitConversion[] = [];
  for (const c of conversions) {
    if (!isObject(c) || !isText(c.unit) || !isUnit(c.unit) || !isFiniteNumber(c.toBase)) return null;
    conv.push({ unit: c.unit, toBase: c.toBase });
  }
  const al: ProductAlias[] = [];
  for (const a of aliases) {
    if (!isObject(a) || !isText(a.text) || !isLanguage(a.language)) return null;
    al.push({ text: a.text, language: a.language });
  }
  return {
    id: id as ProductId,
    sku,
    name,
    category,
    baseUnit,
    conversions: conv,
    aliases: al,
    active,
    createdAt,
    updatedAt,
  };
}

export function offerToJson(o: VendorOffer): JsonObject {
  return {
    id: o.id,
    vendorId: o.vendorId,
    productId: o.productId,
    unit: o.unit,
    unitPrice: { amount: o.unitPrice.amount, currency: o.unitPrice.currency },
    stockOnHand: o.stockOnHand,
    minOrderQty: o.minOrderQty,
    leadTimeHours: o.leadTimeHours,
    active: o.active,
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function offerFromJson(v: JsonValue | null): VendorOffer | null {
  if (!isObject(v)) return null;
  const { id, vendorId, productId, unit, unitPrice, stockOnHand, minOrderQty, leadTimeHours, active } = v;
  const updatedAt = dateOf(v.updatedAt);
  if (!isText(id) || !isText(vendorId) || !isText(productId) || !isText(unit) || !isUnit(unit)) return null;
  if (!isFiniteNumber(stockOnHand) || !isFiniteNumber(minOrderQty) || !isFiniteNumber(leadTimeHours)) return null;
  if (typeof active !== 'boolean' || !updatedAt || !isObject(unitPrice)) return null;
  const { amount, currency } = unitPrice;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || !isText(currency)) return null;
  let price: Money;
  try {
    price = Money.of(amount, currency);
  } catch {
    return null;
  }
  return {
    id: id as VendorOfferId,
    vendorId: vendorId as VendorId,
    productId: productId as ProductId,
    unit,
    unitPrice: price,
    stockOnHand,
    minOrderQty,
    leadTimeHours,
    active,
    updatedAt,
  };
}

/** A list of entries, or null when any one of them is not recognised. */
export function listFromJson<T>(v: JsonValue | null, decode: (item: JsonValue) => T | null): T[] | null {
  if (!Array.isArray(v)) return null;
  const out: T[] = [];
  for (const item of v) {
    const decoded = decode(item);
    if (decoded === null) return null;
    out.push(decoded);
  }
  return out;
}

function isObject(v: JsonValue | null | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: JsonValue | undefined): v is string {
  return typeof v === 'string';
}

function isFiniteNumber(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isLanguage(v: JsonValue | undefined): v is AliasLanguage {
  return v === 'en' || v === 'ne' || v === 'ne-Latn';
}

function dateOf(v: JsonValue | undefined): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  // Only what `toISOString` wrote: a round trip must be exact, not a lenient parse.
  return Number.isNaN(d.getTime()) || d.toISOString() !== v ? null : d;
}
