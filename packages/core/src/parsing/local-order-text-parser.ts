import { conversionFactor, type Product } from '../catalog/product.js';
import type {
  ClarificationReason,
  MessageIntent,
  OrderTextParser,
  ParsedOrderLine,
  ParsedOrderText,
  ProductSuggestion,
} from '../ports/order-text-parser.js';
import { CatalogIndex, type ScoredProduct } from './catalog-index.js';
import { detectIntentCues, type IntentCues, withoutOrderNumbers } from './intent-cues.js';
import { type LineReading, readLine } from './line-reader.js';
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

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function suggestion(s: ScoredProduct): ProductSuggestion {
  return { productId: s.product.id, sku: s.product.sku, name: s.product.name, score: round3(s.score) };
}

function sellsIn(product: Product, reading: LineReading): boolean {
  return reading.unit === null || conversionFactor(product, reading.unit, product.baseUnit) !== undefined;
}

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

  parse(text: string): Promise<ParsedOrderText> {
    return Promise.resolve(this.parseSync(text));
  }

  /** The same answer as `parse`, without the promise (for batch use such as the corpus report). */
  parseSync(text: string): ParsedOrderText {
    const cues = detectIntentCues(text);
    const lines: ParsedOrderLine[] = [];
    const explicit: boolean[] = [];
    const unparsed: string[] = [];
    for (const segment of splitSegments(withoutOrderNumbers(text))) {
      const readings = readLine(segment, this.index);
      for (const reading of readings) {
        const line = this.matchLine(reading);
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
    const orderNumber = intent === 'status' ? cues.orderNumber : null;
    if (intent === 'order') return { intent, lines, unparsed, orderNumber, source: 'local' };
    return { intent, lines: [], unparsed: intent === 'unknown' ? unparsed : [], orderNumber, source: 'local' };
  }

  private matchLine(reading: LineReading): ParsedOrderLine | null {
    const { confidenceThreshold, ambiguityMargin, maxSuggestions, suggestionFloor } = this.options;
    const ranked: ScoredProduct[] = reading.sku
      ? [{ product: reading.sku, score: 1 }]
      : this.index.rank(reading.words, maxSuggestions + 1);
    const best = ranked[0];
    if (reading.words.length === 0) return null;
    // Without a number, only a confident product mention is worth asking about.
    if (reading.quantity === null && (!best || best.score < confidenceThreshold)) return null;
    if (!best) return unknownProduct(reading);
    const second = ranked[1];
    const ambiguous = second !== undefined && best.score - second.score < ambiguityMargin;
    const matched = best.score >= confidenceThreshold && !ambiguous;
    const unitOk = matched && sellsIn(best.product, reading);
    const clarification: ClarificationReason | null = ambiguous
      ? 'AMBIGUOUS_PRODUCT'
      : !matched
        ? 'LOW_CONFIDENCE'
        : !unitOk || reading.unsupportedUnit
          ? 'UNSUPPORTED_UNIT'
          : reading.quantity === null
            ? 'MISSING_QUANTITY'
            : null;
    const base = {
      raw: reading.raw,
      mention: reading.words.join(' '),
      quantity: reading.quantity ?? 1,
      unit: reading.unit,
      // Two near-equal candidates: the score says "this looks like X" but not which X.
      confidence: round3(ambiguous ? best.score / 2 : best.score),
      suggestions: ranked
        .filter((s) => s.score >= suggestionFloor)
        .slice(0, maxSuggestions)
        .map(suggestion),
    };
    return clarification === null
      ? { ...base, productId: best.product.id, needsClarification: false, clarification: null }
      : { ...base, productId: matched ? best.product.id : null, needsClarification: true, clarification };
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
 * Items win when there are any; a status, balance, help or price question wins over lines
 * that matched nothing ("3 din bhayo, order kaha pugyo?" is not an order for "din").
 */
function decideIntent(cues: IntentCues, hasMatchedItem: boolean, hasLines: boolean): MessageIntent {
  const question = cues.status || cues.balance || cues.help || cues.price;
  if (hasMatchedItem || (hasLines && !question)) return 'order';
  if (cues.status) return 'status';
  if (cues.balance) return 'balance';
  if (cues.help) return 'help';
  if (cues.price) return 'unknown';
  if (cues.greeting) return 'greeting';
  return 'unknown';
}
