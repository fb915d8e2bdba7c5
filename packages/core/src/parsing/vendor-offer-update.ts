import { conversionFactor, type Product } from '../catalog/product.js';
import { Money } from '../shared/money.js';
import { isUnit, type Unit } from '../shared/quantity.js';
import { CatalogIndex, type ScoredProduct, wordsOf } from './catalog-index.js';
import { normalizeText } from './text-normalize.js';
import { unitWord } from './unit-words.js';

/*
 * A vendor's price or stock update by message: "rice mansuli 25kg 2150" (a price, in rupees),
 * "stock sugar 50 bora" (stock, in the unit named or the offer's). The product is found by the
 * order-text parser's own catalog matching (CatalogIndex, its thresholds): one matcher, not two.
 */

/** What a message can ask. */
export type VendorOfferUpdate =
  | {
      readonly kind: 'price';
      readonly product: Product;
      readonly price: Money;
      /**
       * The pack the price is for ("mansuli 25kg 2150": Rs 2150 a 25 kg pack); null: a price per
       * the offer's own unit. The offer's unit price is derived from it, never taken as is.
       */
      readonly pack: Pack | null;
      readonly mention: string;
    }
  | {
      readonly kind: 'stock';
      readonly product: Product;
      readonly quantity: number;
      /** The unit the vendor named; null: the offer's own unit. */
      readonly unit: Unit | null;
      readonly mention: string;
    };

export type VendorOfferUpdateRejection =
  | { readonly reason: 'NO_NUMBER' }
  | { readonly reason: 'BAD_NUMBER'; readonly number: string }
  | { readonly reason: 'UNKNOWN_UNIT'; readonly unit: string }
  | { readonly reason: 'NO_PRODUCT' }
  | { readonly reason: 'UNKNOWN_PRODUCT'; readonly mention: string }
  | { readonly reason: 'AMBIGUOUS_PRODUCT'; readonly mention: string; readonly candidates: readonly Product[] };

export type VendorOfferUpdateParse =
  | { readonly ok: true; readonly update: VendorOfferUpdate }
  | { readonly ok: false; readonly rejection: VendorOfferUpdateRejection };

/** The order-text parser's defaults: a match from 0.75, a rival within 0.05 makes it ambiguous. */
const CONFIDENCE = 0.75;
const AMBIGUITY_MARGIN = 0.05;
const MAX_CANDIDATES = 5;

const STOCK_WORDS = new Set(['stock', 'stok', 'stck', 'स्टक', 'स्टोक', 'मौज्दात']);
const PRICE_WORDS = new Set(['price', 'rate', 'mol', 'mul', 'bhau', 'dar', 'दर', 'भाउ', 'मूल्य', 'मोल']);
/** Currency marks before or after a price: "rs 2150", "रु. २१५०", "2150/-", "npr2150". */
const CURRENCY = /^(?:rs|npr|रु|रू)\.?/u;

/*
 * Thousands written with commas, grouped in threes ("2,150", "1,500,000") or the Nepali/Indian
 * way ("1,50,000"). Commas also separate words, so without this "2,150" split into "2" and
 * "150": a price of Rs 150 for the vendor's Rs 2,150, a stock of 0 for "1,000".
 */
const DIGIT_GROUPS = /(?<![\d,]|\d,)(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?![\d]|,\d)/g;
const STRAY_COMMA = /\d+(?:,\d+)+/;

const reject = (rejection: VendorOfferUpdateRejection): VendorOfferUpdateParse => ({ ok: false, rejection });

/**
 * Read one message. `catalog` is what the product may be: a vendor's own offered products
 * (what `UpdateOfferFromMessage` passes) or a whole catalog, as an index or a list.
 */
export function parseVendorOfferUpdate(
  text: string,
  catalog: CatalogIndex | readonly Product[],
): VendorOfferUpdateParse {
  const index = catalog instanceof CatalogIndex ? catalog : new CatalogIndex(catalog);
  const normalized = normalizeText(text).replace(DIGIT_GROUPS, (n) => n.replaceAll(',', ''));
  // A comma between digits that is not a digit grouping ("2,15") would split into two numbers
  // and the last one would be read: refused rather than guessed.
  const stray = STRAY_COMMA.exec(normalized);
  if (stray) return reject({ reason: 'BAD_NUMBER', number: stray[0] });
  const tokens = normalized
    .replace(/\/-/g, ' ')
    .split(/[\s,;:]+/u)
    .filter((t) => t.length > 0);
  const stock = tokens.length > 0 && STOCK_WORDS.has(tokens[0] as string);
  const words = stock || PRICE_WORDS.has(tokens[0] ?? '') ? tokens.slice(1) : tokens;
  return stock ? readStock(words, index) : readPrice(words, index);
}

/** "<product words> [rs] <price>": the last number is the price, a currency mark around it optional. */
function readPrice(tokens: readonly string[], index: CatalogIndex): VendorOfferUpdateParse {
  let last = tokens.length - 1;
  while (last >= 0 && CURRENCY.test(tokens[last] as string) && (tokens[last] as string).replace(CURRENCY, '') === '') {
    last--;
  }
  if (last < 0) return reject({ reason: 'NO_NUMBER' });
  const raw = (tokens[last] as string).replace(CURRENCY, '');
  if (!/\d/.test(raw)) return reject({ reason: 'NO_NUMBER' });
  // At most NPR 999,999,999.99 a unit: a longer number is a typo (or a phone number), not a price.
  if (!/^\d{1,9}(?:\.\d{1,2})?$/.test(raw)) return reject({ reason: 'BAD_NUMBER', number: raw });
  const price = Money.parse(raw);
  if (price.amount <= 0) return reject({ reason: 'BAD_NUMBER', number: raw });
  let rest = tokens.slice(0, last);
  if (rest.length > 0 && CURRENCY.test(rest.at(-1) as string) && (rest.at(-1) as string).replace(CURRENCY, '') === '') {
    rest = rest.slice(0, -1);
  }
  const matched = matchProduct(rest, index);
  return 'rejection' in matched
    ? reject(matched.rejection)
    : { ok: true, update: { kind: 'price', price, pack: packOf(rest), ...matched } };
}

/** "stock <product words> <quantity> [unit]". */
function readStock(tokens: readonly string[], index: CatalogIndex): VendorOfferUpdateParse {
  const tail = tokens.at(-1);
  if (tail === undefined) return reject({ reason: 'NO_NUMBER' });
  // "50bora" arrives as one token, "50 bora" as two.
  const glued = /^(\d+(?:\.\d+)?)(\p{L}[\p{L}\p{M}.]*)$/u.exec(tail);
  if (glued) {
    const unit = unitOf(glued[2] as string);
    return unit === undefined
      ? reject({ reason: 'UNKNOWN_UNIT', unit: glued[2] as string })
      : stockOf(tokens.slice(0, -1), glued[1] as string, unit, index);
  }
  if (/\d/.test(tail)) return stockOf(tokens.slice(0, -1), tail, null, index);
  const before = tokens.at(-2);
  if (before === undefined || !/\d/.test(before)) return reject({ reason: 'NO_NUMBER' });
  const unit = unitOf(tail);
  if (unit === undefined) return reject({ reason: 'UNKNOWN_UNIT', unit: tail });
  return stockOf(tokens.slice(0, -2), before, unit, index);
}

/** A unit the platform sells in ("bora" → bag); not "count" or a container it has no unit for. */
function unitOf(word: string): Unit | undefined {
  const named = unitWord(word);
  return named !== undefined && isUnit(named) ? named : undefined;
}

function stockOf(
  rest: readonly string[],
  number: string,
  unit: Unit | null,
  index: CatalogIndex,
): VendorOfferUpdateParse {
  if (!/^\d+(?:\.\d{1,3})?$/.test(number)) return reject({ reason: 'BAD_NUMBER', number });
  const quantity = Number(number);
  if (!Number.isFinite(quantity) || quantity > 1e9) return reject({ reason: 'BAD_NUMBER', number });
  const matched = matchProduct(rest, index);
  return 'rejection' in matched
    ? reject(matched.rejection)
    : { ok: true, update: { kind: 'stock', quantity, unit, ...matched } };
}

type Measure = 'kg' | 'g' | 'litre' | 'ml';

/** A pack size said in a message: 25 kg, 1 litre. `amount` as written ("2.5"), so exact. */
export interface Pack {
  readonly amount: string;
  readonly unit: Measure;
}

/** A pack size in the mention: "25kg", "25 kg", "५०० ml", and the text that said it. */
function packIn(tokens: readonly string[]): (Pack & { said: string }) | null {
  const text = tokens.join(' ');
  for (const m of text.matchAll(/(?<![\p{L}\d.])(\d+(?:\.\d+)?)\s*([\p{L}][\p{L}\p{M}.]*)/gu)) {
    const unit = unitWord((m[2] as string).replace(/\.$/, ''));
    if (unit === 'kg' || unit === 'g' || unit === 'litre' || unit === 'ml') {
      return { amount: m[1] as string, unit, said: m[0] };
    }
  }
  return null;
}

function packOf(tokens: readonly string[]): Pack | null {
  const pack = packIn(tokens);
  return pack && Number(pack.amount) > 0 ? { amount: pack.amount, unit: pack.unit } : null;
}

/** One of the product's own unit holds the pack. */
function holds(product: Product, pack: Pack): boolean {
  const factor = conversionFactor(product, product.baseUnit, pack.unit);
  return factor !== undefined && Math.abs(factor - Number(pack.amount)) < 1e-6;
}

function matchProduct(
  tokens: readonly string[],
  index: CatalogIndex,
): { product: Product; mention: string } | { rejection: VendorOfferUpdateRejection } {
  const mention = tokens.join(' ');
  const words = wordsOf(mention);
  if (!words.some((w) => /\p{L}/u.test(w))) return { rejection: { reason: 'NO_PRODUCT' } };
  const bySku = tokens.length === 1 ? index.productBySku(tokens[0] as string) : undefined;
  if (bySku) return { product: bySku, mention };
  const said = packIn(tokens);
  const rankings = [index.rank(words, MAX_CANDIDATES + 1)];
  if (said) rankings.push(index.rank(wordsOf(mention.replace(said.said, ' ')), MAX_CANDIDATES + 1));
  const close = closeMatches(rankings);
  const best = close[0];
  if (!best) return { rejection: { reason: 'UNKNOWN_PRODUCT', mention } };
  // Pack variants tie on their shared name; the size said picks one, as in the order parser.
  const sized = said ? close.filter((s) => holds(s.product, said)) : [];
  if (sized.length === 1 && sized[0]) return { product: sized[0].product, mention };
  if (close.length > 1) {
    return {
      rejection: {
        reason: 'AMBIGUOUS_PRODUCT',
        mention,
        candidates: close.slice(0, MAX_CANDIDATES).map((s) => s.product),
      },
    };
  }
  return { product: best.product, mention };
}

/**
 * The confident matches of each ranking of one mention (with its pack size, and without it),
 * each within the margin of its own ranking's best. A pack size is in some products' names
 * ("Annapurna Mansuli 25kg") and not in others' (Mansuli Rice sold by the kg): with one
 * ranking "mansuli 25kg" found neither, and a product found only one way is never preferred
 * silently over one found the other way: both stay candidates.
 */
function closeMatches(rankings: readonly (readonly ScoredProduct[])[]): ScoredProduct[] {
  const byId = new Map<string, ScoredProduct>();
  for (const ranked of rankings) {
    const best = ranked[0];
    if (!best || best.score < CONFIDENCE) continue;
    for (const s of ranked) {
      if (best.score - s.score < AMBIGUITY_MARGIN && !byId.has(s.product.id)) byId.set(s.product.id, s);
    }
  }
  return [...byId.values()];
}
