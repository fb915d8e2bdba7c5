import type { Product } from '../catalog/product.js';
import type { MessageIntent, ParseContext } from '../ports/order-text-parser.js';
import { ValidationError } from '../shared/errors.js';
import { isUnit, type Unit } from '../shared/quantity.js';

/** A line the corpus expects to be ordered without asking; unit null = no unit given. */
export interface ExpectedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unit: Unit | null;
}

/** One labelled message of `corpus/order-messages.json`. */
export interface CorpusMessage {
  readonly id: string;
  readonly category: string;
  readonly text: string;
  readonly intent: MessageIntent;
  readonly lines: readonly ExpectedLine[];
  /** How many lines should come back needing clarification. */
  readonly clarify: number;
  /** When the message was written relative to parser changes (1 = before the parser first ran). */
  readonly batch: number;
  /** Written before the parser changes it tests and never read while tuning: scored apart. */
  readonly heldOut: boolean;
  /** The shop's recent purchases the message is read with ("dal" is its usual Masoor Dal). */
  readonly history: readonly CorpusPurchase[];
}

export interface CorpusPurchase {
  readonly sku: string;
  readonly orders: number;
}

function purchases(v: unknown, id: string): CorpusPurchase[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ValidationError('corpus history must be a list', { id });
  return v.map((p: unknown) => {
    if (!isObject(p) || typeof p.sku !== 'string' || typeof p.orders !== 'number') {
      throw new ValidationError('corpus history needs sku and orders', { id });
    }
    return { sku: p.sku, orders: p.orders };
  });
}

const INTENTS: readonly string[] = ['order', 'status', 'balance', 'help', 'greeting', 'cancel', 'repeat', 'unknown'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function expectedLine(v: unknown, id: string): ExpectedLine {
  if (!isObject(v) || typeof v.sku !== 'string' || typeof v.quantity !== 'number') {
    throw new ValidationError('corpus line needs sku and quantity', { id });
  }
  const unit = v.unit;
  if (unit !== null && !(typeof unit === 'string' && isUnit(unit))) {
    throw new ValidationError('corpus line has an unknown unit', { id });
  }
  return { sku: v.sku, quantity: v.quantity, unit };
}

/** Checks the shape of the parsed corpus file, so a broken label fails loudly rather than scoring. */
export function readCorpus(json: unknown): CorpusMessage[] {
  const messages = isObject(json) ? json.messages : undefined;
  if (!Array.isArray(messages)) throw new ValidationError('corpus must have a messages array');
  return messages.map((m: unknown, i): CorpusMessage => {
    if (!isObject(m) || typeof m.id !== 'string' || typeof m.text !== 'string' || typeof m.category !== 'string') {
      throw new ValidationError('corpus message needs id, category and text', { index: i });
    }
    const { id, intent, lines, clarify } = m;
    if (typeof intent !== 'string' || !INTENTS.includes(intent)) {
      throw new ValidationError('corpus message has an unknown intent', { id });
    }
    if (!Array.isArray(lines)) throw new ValidationError('corpus message needs lines', { id });
    return {
      id,
      category: m.category,
      text: m.text,
      intent: intent as MessageIntent,
      lines: lines.map((l: unknown) => expectedLine(l, id)),
      clarify: typeof clarify === 'number' ? clarify : 0,
      batch: typeof m.batch === 'number' ? m.batch : 1,
      heldOut: m.heldOut === true,
      history: purchases(m.history, id),
    };
  });
}

/**
 * What the parser is told with a message: its purchase history, as products of `catalog`
 * (all bought on the epoch day: the corpus orders history by count alone).
 */
export function contextFor(message: CorpusMessage, catalog: readonly Product[]): ParseContext {
  if (message.history.length === 0) return {};
  const history = message.history.map((h) => {
    const product = catalog.find((p) => p.sku === h.sku);
    if (!product) throw new ValidationError('corpus history names an unknown sku', { id: message.id, sku: h.sku });
    return { productId: product.id, orders: h.orders, lastOrderedAt: new Date(0) };
  });
  return { history };
}

/**
 * The labelled messages of `corpus/order-messages.json` (shipped with the package),
 * read through a JSON import so the core needs no file-system access.
 */
export async function loadCorpus(): Promise<CorpusMessage[]> {
  // The same relative path from src/corpus and from dist/corpus. A variable keeps the
  // compiler from typing (and copying) the JSON.
  const spec = '../../corpus/order-messages.json';
  const mod: { default: unknown } = await import(spec, { with: { type: 'json' } });
  return readCorpus(mod.default);
}
