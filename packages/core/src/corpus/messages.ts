import type { MessageIntent } from '../ports/order-text-parser.js';
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
    };
  });
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
