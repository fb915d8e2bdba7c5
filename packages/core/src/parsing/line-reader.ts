import type { Product } from '../catalog/product.js';
import type { Unit } from '../shared/quantity.js';
import type { CatalogIndex } from './catalog-index.js';
import { type Token, tokenize } from './line-tokens.js';
import { numberWord } from './number-words.js';
import { isCountingUnit, type UnitWord, unitWord } from './unit-words.js';

/** What one item piece says, before catalog matching. */
export interface LineReading {
  readonly raw: string;
  /** Product words, normalised, without quantity, unit and filler. */
  readonly words: readonly string[];
  /** null when the piece gave no number. */
  readonly quantity: number | null;
  readonly unit: Unit | null;
  /** A container the platform has no unit for ("tin", "crate"); `unit` is then null. */
  readonly unsupportedUnit: boolean;
  /** Set when the piece named a SKU exactly. */
  readonly sku: Product | null;
  /** The size of one pack when the piece gave it next to a count ("25kg x 4", "12 pcs of 500ml"). */
  readonly pack: PackSize | null;
  /** What one counted container holds, when given: "2 peti (24)", "5 carton 30 packet". */
  readonly perPack: { readonly count: number; readonly unit: Unit | null } | null;
  /** The numbers say more than one thing and none can be read without a guess ("chamal 25 4"). */
  readonly doubtfulQuantity: boolean;
}

/** What one pack holds: 25 kg, 500 ml. */
export interface PackSize {
  readonly amount: number;
  readonly unit: 'kg' | 'g' | 'litre' | 'ml';
}

const isMeasure = (u: UnitWord | undefined): u is PackSize['unit'] =>
  u === 'kg' || u === 'g' || u === 'litre' || u === 'ml';
/** A container counted as such: a number next to it can say what it holds. */
const isContainer = (u: UnitWord | undefined): boolean => u === 'carton' || u === 'bag' || u === 'box';
const isSingleItem = (u: UnitWord): boolean => u === 'piece' || u === 'packet' || u === 'bottle' || u === 'count';

/** Words that mark a number + unit as a pack size ("25 kg ko 2 bora"), not the amount. */
const DESCRIPTOR = new Set(['ko', 'wala', 'vala', 'wali', 'को', 'वाला', 'वाली']);

const isMeaningful = (t: Token): boolean => t.kind !== 'word' || !t.filler;
const isProductWord = (t: Token): boolean => t.kind === 'sku' || (t.kind === 'word' && !t.filler);

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The tokens a number claims: a unit after it, an "x" on either side. */
function spanOf(tokens: readonly Token[], i: number): Span {
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  return {
    start: before?.kind === 'x' ? i - 1 : i,
    end: after?.kind === 'unit' || after?.kind === 'x' ? i + 1 : i,
  };
}

/**
 * "chamal 2 bora dal 1 bora" (no commas) holds two items. Split at the quantities when
 * every part keeps a product word; whether words lead or trail their quantity is read
 * from how the piece begins.
 */
function splitItems(tokens: readonly Token[]): Token[][] {
  const spans = tokens.flatMap((t, i) => (t.kind === 'num' ? [spanOf(tokens, i)] : []));
  if (spans.length < 2) return [[...tokens]];
  const firstMeaningful = tokens.findIndex(isMeaningful);
  const quantityFirst = firstMeaningful >= (spans[0]?.start ?? 0) && firstMeaningful <= (spans[0]?.end ?? -1);
  const cuts = quantityFirst ? spans.slice(1).map((s) => s.start) : spans.slice(0, -1).map((s) => s.end + 1);
  const parts: Token[][] = [];
  let from = 0;
  for (const cut of [...cuts, tokens.length]) {
    parts.push(tokens.slice(from, cut));
    from = cut;
  }
  return parts.every((p) => p.some(isProductWord) && p.some((t) => t.kind === 'num')) ? parts : [[...tokens]];
}

/** Which number is the amount: next to "x", then before a counting unit, then any unit, then at an edge. */
function pickQuantity(tokens: readonly Token[]): number | undefined {
  const meaningful = tokens.map((t, i) => (isMeaningful(t) ? i : -1)).filter((i) => i >= 0);
  let best: { i: number; rank: number } | undefined;
  tokens.forEach((t, i) => {
    if (t.kind !== 'num') return;
    const after = tokens[i + 1];
    const before = tokens[i - 1];
    let rank = 1;
    if (before?.kind === 'x' || after?.kind === 'x') rank = 5;
    else if (after?.kind === 'unit') rank = isCountingUnit(after.unit) ? 4 : 3;
    else if (i === meaningful[0] || i === meaningful[meaningful.length - 1]) rank = 2;
    const next = tokens[after?.kind === 'unit' ? i + 2 : i + 1];
    if (next?.kind === 'word' && DESCRIPTOR.has(next.text)) rank -= 2.5;
    if (!best || rank > best.rank) best = { i, rank };
  });
  return best?.i;
}

/** The numbers other than the quantity: a pack size, a per-container count, or doubt. */
function readExtras(
  tokens: readonly Token[],
  used: Set<number>,
  said: UnitWord | undefined,
): { pack: PackSize | null; perPack: LineReading['perPack']; doubtful: boolean } {
  let pack: PackSize | null = null;
  let perPack: LineReading['perPack'] = null;
  let doubtful = false;
  tokens.forEach((t, i) => {
    if (t.kind !== 'num' || used.has(i)) return;
    const after = tokens[i + 1];
    const unit = after?.kind === 'unit' ? after.unit : undefined;
    used.add(i);
    if (isMeasure(unit) && pack === null && !isMeasure(said)) {
      used.add(i + 1);
      pack = { amount: t.value, unit };
    } else if (perPack === null && isContainer(said) && (unit === undefined || isSingleItem(unit))) {
      if (unit !== undefined) used.add(i + 1);
      perPack = { count: t.value, unit: unit === undefined || unit === 'count' ? null : (unit as Unit) };
    } else {
      doubtful = true;
    }
  });
  return { pack, perPack, doubtful };
}

/**
 * "chini 5 foo kg", "chini 5 boxx": a word right after the amount that is no unit, filler,
 * number or catalog word may change what the amount means (a misspelt unit, a second
 * number). When other words name the product, that word was not understood: ask.
 */
function unreadWordAfter(tokens: readonly Token[], q: number, index: CatalogIndex): boolean {
  const next = tokens[q + 1];
  if (next?.kind !== 'word' || next.filler || numberWord(next.text) !== undefined) return false;
  if (!tokens.some((t, i) => i !== q + 1 && isProductWord(t))) return false;
  if (index.hasWord(next.text)) return false;
  return slipOfUnit(next.text) || !index.knowsWord(next.text);
}

/** "boxx", "kgg": a unit with one letter too many, close enough to a catalog word to pass as one. */
function slipOfUnit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (unitWord(word.slice(0, i) + word.slice(i + 1)) !== undefined) return true;
  }
  return false;
}

function readPart(raw: string, tokens: readonly Token[], index: CatalogIndex): LineReading {
  const q = pickQuantity(tokens);
  const used = new Set<number>();
  let unitToken: Token | undefined;
  if (q !== undefined) {
    used.add(q);
    const after = tokens[q + 1];
    const before = tokens[q - 1];
    if (after?.kind === 'unit') {
      unitToken = after;
      used.add(q + 1);
    } else if (before?.kind === 'unit' && tokens[q - 2]?.kind !== 'num') {
      unitToken = before;
      used.add(q - 1);
    } else if (before?.kind === 'x' && tokens[q - 2]?.kind === 'unit' && tokens[q - 3]?.kind !== 'num') {
      // "rice 25kg bag x 2": the unit sits before the "x" ("25kg x 4" is a pack size instead).
      unitToken = tokens[q - 2];
      used.add(q - 2);
    }
  } else {
    unitToken = tokens.find((t) => t.kind === 'unit');
  }
  const quantityToken = q === undefined ? undefined : tokens[q];
  const sku = tokens.find((t) => t.kind === 'sku');
  const said = unitToken?.kind === 'unit' ? unitToken.unit : undefined;
  const extras = readExtras(tokens, used, said);
  const words = tokens.flatMap((t, i) => (!used.has(i) && t.kind === 'word' && !t.filler ? [t.text] : []));
  const unit = said === undefined || said === 'count' || said === 'other' ? null : said;
  return {
    raw,
    words: sku?.kind === 'sku' ? [sku.text] : words,
    quantity: quantityToken?.kind === 'num' ? quantityToken.value : null,
    unit,
    unsupportedUnit: said === 'other',
    sku: sku?.kind === 'sku' ? sku.product : null,
    pack: extras.pack,
    perPack: extras.perPack,
    doubtfulQuantity:
      extras.doubtful ||
      tokens.some((t) => t.kind === 'num' && t.doubtful === true) ||
      (q !== undefined && unreadWordAfter(tokens, q, index)),
  };
}

/** One piece of a message → zero (only filler), one or several item readings. */
export function readLine(segment: string, index: CatalogIndex): LineReading[] {
  const tokens = tokenize(segment, index);
  if (!tokens.some(isMeaningful)) return [];
  const parts = splitItems(tokens);
  if (parts.length === 1) return [readPart(segment, tokens, index)];
  return parts.map((p) => readPart(p.map((t) => t.text).join(' '), p, index));
}
