import { conversionFactor, type Product, unitsOf } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';
import type { Unit } from '../shared/quantity.js';
import type {
  ClarificationReason,
  MessageIntent,
  OrderTextParser,
  ParseContext,
  ParsedOrderLine,
  ParsedOrderText,
  ProductSuggestion,
} from '../ports/order-text-parser.js';
import { CatalogIndex, type ScoredProduct } from './catalog-index.js';
import { detectIntentCues, type IntentCues, withoutOrderNumbers } from './intent-cues.js';
import { type LineReading, type PackSize, readLine } from './line-reader.js';
import { splitSegments } from './segment-splitter.js';

export interface LocalOrderTextParserOptions {
  /** A match scoring below this is never taken as the product (default 0.75). */
  readonly confidenceThreshold?: number;
  /** A runner-up within this of the best makes the match ambiguous (default 0.05). */
  readonly ambiguityMargin?: number;
  /** Suggestions per line (default 5). */
  readonly maxSuggestions?: number;
  /** Products scoring under this are not suggested (default 0.4). */
  readonly suggestionFloor?: number;
}

const DEFAULTS: Required<LocalOrderTextParserOptions> = {
  confidenceThreshold: 0.75,
  ambiguityMargin: 0.05,
  maxSuggestions: 5,
  suggestionFloor: 0.4,
};

interface Settled {
  readonly product: Product;
  readonly unit: Unit | null;
  readonly score: number;
  readonly resolvedBy: 'history' | 'default';
}

/** A product answers to a generic mention from this score up: every word of the mention in its names. */
const CONTEXT_FLOOR = 0.7;
/** Orders within the history window that make a product "usual" for the shop. */
const USUAL_ORDERS = 2;

/** Extra candidates ranked so that all pack sizes of one product are weighed. */
const VARIANTS = 8;

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function suggestion(s: ScoredProduct): ProductSuggestion {
  return { productId: s.product.id, sku: s.product.sku, name: s.product.name, score: round3(s.score) };
}

function sellsIn(product: Product, unit: Unit | null): boolean {
  return unit === null || conversionFactor(product, unit, product.baseUnit) !== undefined;
}

/** Units that are one item of whatever the product comes in: "a piece" of coke is a bottle. */
const SINGLE_ITEM: ReadonlySet<Unit> = new Set(['piece', 'bottle', 'packet', 'box']);

/**
 * The unit the line is ordered in: the retailer's own when the product is sold in it,
 * else the product's single item when the retailer counted pieces of it ("coke 12 pcs" is
 * 12 bottles), else undefined (not sold so: ask).
 */
function orderUnit(product: Product, unit: Unit | null): Unit | null | undefined {
  if (sellsIn(product, unit)) return unit;
  if (unit === 'piece' && SINGLE_ITEM.has(product.baseUnit)) return product.baseUnit;
  return undefined;
}

const same = (a: number | undefined, b: number): boolean => a !== undefined && Math.abs(a - b) < 1e-6;

/**
 * The unit of this product that a pack size or a per-container count describes, or
 * undefined when the product has no such pack: "25kg x 4" is 4 of the unit holding 25 kg,
 * "2 carton of 500ml" is 2 cartons of the product whose single item holds 500 ml, "2 peti
 * (24)" is 2 cartons of the product whose carton holds 24.
 */
function packUnit(product: Product, reading: LineReading): Unit | null | undefined {
  const said = reading.unit;
  const perPack = reading.perPack;
  if (perPack !== null) {
    const inner = perPack.unit === null || perPack.unit === 'piece' ? product.baseUnit : perPack.unit;
    if (said === null || !same(conversionFactor(product, said, inner), perPack.count)) return undefined;
    return reading.pack === null || holds(product, product.baseUnit, reading.pack) ? said : undefined;
  }
  const pack = reading.pack;
  // A size the catalog cannot check ("coca cola 1.5 ltr 2 carton", no size known for the bottle)
  // describes the product; it does not change the amount.
  if (pack === null || !knowsSize(product, pack)) return orderUnit(product, said);
  if (said !== null && holds(product, said, pack)) return said;
  if (said !== null && !SINGLE_ITEM.has(said)) {
    return holds(product, product.baseUnit, pack) && sellsIn(product, said) ? said : undefined;
  }
  return unitsOf(product).find((u) => !isMeasureUnit(u) && holds(product, u, pack));
}

/** True when some unit of the product converts to the pack's measure (weight or volume). */
function knowsSize(product: Product, pack: PackSize): boolean {
  return unitsOf(product).some((u) => conversionFactor(product, u, pack.unit) !== undefined);
}

function holds(product: Product, unit: Unit, pack: PackSize): boolean {
  return same(conversionFactor(product, unit, pack.unit), pack.amount);
}

const isMeasureUnit = (u: Unit): boolean => u === 'kg' || u === 'g' || u === 'litre' || u === 'ml';

/**
 * The order-text parser that needs no network: English, romanized Nepali and
 * Devanagari, matched against the catalog with fuzzy spelling. It never picks a
 * product on a guess: a weak, ambiguous or unsellable match comes back flagged
 * `needsClarification` with ranked suggestions.
 */
export class LocalOrderTextParser implements OrderTextParser {
  private readonly index: CatalogIndex;
  private readonly options: Required<LocalOrderTextParserOptions>;

  constructor(catalog: readonly Product[], options: LocalOrderTextParserOptions = {}) {
    this.index = new CatalogIndex(catalog);
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * Re-indexes one product after it changed (name, aliases, units, deactivated): only its own
   * spellings are touched, so a catalog edit does not rebuild the index.
   */
  updateProduct(product: Product): void {
    this.index.upsert(product);
  }

  /** Stops matching a deleted product. */
  removeProduct(productId: ProductId): void {
    this.index.remove(productId);
  }

  parse(text: string, context?: ParseContext): Promise<ParsedOrderText> {
    return Promise.resolve(this.parseSync(text, context));
  }

  /** The same answer as `parse`, without the promise (for batch use such as the corpus report). */
  parseSync(text: string, context: ParseContext = {}): ParsedOrderText {
    const cues = detectIntentCues(text);
    const lines: ParsedOrderLine[] = [];
    const explicit: boolean[] = [];
    const unparsed: string[] = [];
    for (const segment of splitSegments(withoutOrderNumbers(text))) {
      const readings = readLine(segment, this.index);
      for (const reading of readings) {
        const line = this.matchLine(reading, context);
        if (line) {
          lines.push(line);
          explicit.push(reading.quantity !== null);
        } else {
          unparsed.push(reading.raw);
        }
      }
    }
    const intent = decideIntent(
      cues,
      lines.some((l, i) => l.productId !== null && explicit[i]),
      lines.length > 0,
    );
    const orderNumber = intent === 'status' || intent === 'cancel' ? cues.orderNumber : null;
    // "chini 2 kg cancel": an order and a cancel in one breath. Neither is placed silently.
    if (intent === 'order' && cues.cancel) {
      return {
        intent: 'unknown',
        lines: [],
        unparsed: [...lines.map((l) => l.raw), ...unparsed],
        orderNumber,
        source: 'local',
      };
    }
    if (intent === 'order') return { intent, lines, unparsed, orderNumber, source: 'local' };
    return { intent, lines: [], unparsed: intent === 'unknown' ? unparsed : [], orderNumber, source: 'local' };
  }

  private matchLine(reading: LineReading, context: ParseContext): ParsedOrderLine | null {
    const { confidenceThreshold, ambiguityMargin, maxSuggestions, suggestionFloor } = this.options;
    const ranked: ScoredProduct[] = reading.sku
      ? [{ product: reading.sku, score: 1 }]
      : this.index.rank(reading.words, maxSuggestions + 1 + VARIANTS);
    const best = ranked[0];
    if (reading.words.length === 0) return null;
    // Without a number, only a confident product mention is worth asking about.
    if (reading.quantity === null && (!best || best.score < confidenceThreshold)) return null;
    if (!best || best.score < (reading.unit === null ? confidenceThreshold : suggestionFloor)) {
      // Words that look like no product and a bare number ("xyz abc 123") are not an order;
      // with a unit ("kurkure 5 carton") they are, for something the catalog lacks.
      return reading.unit !== null || reading.unsupportedUnit ? unknownProduct(reading) : null;
    }
    // Pack variants tie on their shared name: the pack size or unit picks one among the close ones.
    const close = ranked.filter((s) => s.score >= confidenceThreshold && best.score - s.score < ambiguityMargin);
    const fitting = close.flatMap((s) => {
      const unit = packUnit(s.product, reading);
      return unit === undefined ? [] : [{ scored: s, unit }];
    });
    const chosen = fitting.length === 1 ? fitting[0] : undefined;
    const matched = close.length > 0 && (close.length === 1 || chosen !== undefined);
    const top = chosen?.scored ?? best;
    const ambiguous = close.length > 1 && chosen === undefined;
    const clarification: ClarificationReason | null = ambiguous
      ? 'AMBIGUOUS_PRODUCT'
      : !matched
        ? 'LOW_CONFIDENCE'
        : chosen === undefined || reading.unsupportedUnit
          ? 'UNSUPPORTED_UNIT'
          : reading.doubtfulQuantity
            ? 'UNCLEAR_QUANTITY'
            : reading.quantity === null
              ? 'MISSING_QUANTITY'
              : null;
    // Suggestions lead with the variants that fit what was said.
    const offered = [...fitting.map((f) => f.scored), ...ranked.filter((s) => !fitting.some((f) => f.scored === s))];
    const base = {
      raw: reading.raw,
      mention: reading.words.join(' '),
      quantity: reading.quantity ?? 1,
      unit: chosen?.unit ?? reading.unit,
      // Two near-equal candidates: the score says "this looks like X" but not which X.
      confidence: round3(ambiguous ? best.score / 2 : top.score),
      suggestions: offered
        .filter((s) => s.score >= suggestionFloor)
        .slice(0, maxSuggestions)
        .map(suggestion),
    };
    // The shop's usual product for the words it used wins over the catalog's reading of them
    // ("tori tel" is this shop's Dhara 1 L); a default only settles a question.
    const quantityClear = reading.quantity !== null && !reading.doubtfulQuantity;
    const usual = reading.sku || !quantityClear ? undefined : this.fromHistory(reading, context);
    // A default settles which product, never how much: a doubtful amount still asks.
    const settled =
      usual ??
      (quantityClear && (clarification === 'AMBIGUOUS_PRODUCT' || clarification === 'LOW_CONFIDENCE')
        ? this.fromDefault(reading, context)
        : undefined);
    if (settled) {
      const { product, unit, score, resolvedBy } = settled;
      const suggestions = [
        suggestion({ product, score }),
        ...base.suggestions.filter((s) => s.productId !== product.id),
      ];
      return {
        ...base,
        unit,
        confidence: round3(score),
        suggestions: suggestions.slice(0, maxSuggestions),
        productId: product.id,
        needsClarification: false,
        clarification: null,
        resolvedBy,
      };
    }
    if (clarification === null) {
      const resolvedBy = reading.sku ? 'sku' : 'match';
      return { ...base, productId: top.product.id, needsClarification: false, clarification: null, resolvedBy };
    }
    return { ...base, productId: matched ? top.product.id : null, needsClarification: true, clarification };
  }

  /** The product, and the unit, if it answers to the mention and is sold in what was asked. */
  private fits(
    reading: LineReading,
    productId: string,
  ): { product: Product; unit: Unit | null; score: number } | undefined {
    const product = this.index.productById(productId);
    if (!product) return undefined;
    const score = this.index.scoreProduct(reading.words, productId);
    const unit = score >= CONTEXT_FLOOR ? packUnit(product, reading) : undefined;
    return unit === undefined ? undefined : { product, unit, score };
  }

  /** The product this shop buys most often (then most recently) among those the mention fits. */
  private fromHistory(reading: LineReading, context: ParseContext): Settled | undefined {
    const history = [...(context.history ?? [])]
      .filter((r) => r.orders >= USUAL_ORDERS)
      .sort((a, b) => b.orders - a.orders || b.lastOrderedAt.getTime() - a.lastOrderedAt.getTime());
    for (const record of history) {
      const found = this.fits(reading, record.productId);
      if (found) return { ...found, resolvedBy: 'history' };
    }
    return undefined;
  }

  /** The catalog's designated product for a generic word, when it is sold in what was asked. */
  private fromDefault(reading: LineReading, context: ParseContext): Settled | undefined {
    const designated = context.defaults?.get(reading.words.join(' '));
    const found = designated === undefined ? undefined : this.fits(reading, designated);
    return found ? { ...found, resolvedBy: 'default' } : undefined;
  }
}

/** A quantity of something the catalog does not know: kept as a line, so the retailer is asked. */
function unknownProduct(reading: LineReading): ParsedOrderLine {
  return {
    raw: reading.raw,
    mention: reading.words.join(' '),
    quantity: reading.quantity ?? 1,
    unit: reading.unit,
    productId: null,
    confidence: 0,
    needsClarification: true,
    clarification: 'UNKNOWN_PRODUCT',
    suggestions: [],
  };
}

/**
 * Items win when there are any; a cancel, repeat, status, balance, help or price message wins
 * over lines that matched nothing ("3 din bhayo, order kaha pugyo?" is not an order for "din").
 */
function decideIntent(cues: IntentCues, hasMatchedItem: boolean, hasLines: boolean): MessageIntent {
  const question = cues.cancel || cues.repeat || cues.status || cues.balance || cues.help || cues.price;
  if (hasMatchedItem || (hasLines && !question)) return 'order';
  if (cues.cancel) return 'cancel';
  if (cues.repeat) return 'repeat';
  if (cues.status) return 'status';
  if (cues.balance) return 'balance';
  if (cues.help) return 'help';
  if (cues.price) return 'unknown';
  if (cues.greeting) return 'greeting';
  return 'unknown';
}
