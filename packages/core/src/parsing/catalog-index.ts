import type { Product } from '../catalog/product.js';
import { isFiller } from './filler-words.js';
import { editSimilarity, trigrams, wordSimilarity } from './similarity.js';
import { matchKey, normalizeText } from './text-normalize.js';

/** One searchable spelling of a product: its name, an alias or its SKU. */
interface Entry {
  readonly product: number;
  readonly keys: readonly string[];
  readonly compact: string;
  readonly grams: number;
}

export interface ScoredProduct {
  readonly product: Product;
  /** 0..1 */
  readonly score: number;
}

/** Candidates scored in full per mention; the rest are cut by shared trigrams first. */
const CANDIDATES = 80;
/** Entry coverage weighs more than mention coverage: extra words in a message are common, missing ones are not. */
const ENTRY_WEIGHT = 0.6;

/** Words of a name or mention: letters and digits apart ("1l" → "1 l"), particles dropped. */
export function wordsOf(text: string): string[] {
  return normalizeText(text)
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .split(/[^\p{L}\p{M}\d.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter((w) => w.length > 0 && !isFiller(w));
}

/**
 * The catalog prepared for matching, built once: spelling keys for every name and
 * alias, an exact-key map and a trigram index, so that a mention is scored against a
 * few dozen likely entries rather than the whole catalog.
 */
export class CatalogIndex {
  readonly products: readonly Product[];
  private readonly entries: Entry[] = [];
  private readonly exact = new Map<string, number[]>();
  private readonly byTrigram = new Map<string, number[]>();
  private readonly bySku = new Map<string, number>();
  private readonly vocabulary = new Set<string>();

  constructor(products: readonly Product[]) {
    this.products = products.filter((p) => p.active);
    this.products.forEach((product, index) => {
      this.bySku.set(product.sku.toLowerCase(), index);
      // A SKU is matched as a whole, but its pieces ("MAID-MAN-1KG") are not words a shop writes.
      this.addEntry(index, product.sku, false);
      for (const text of [product.name, ...product.aliases.map((a) => a.text)]) this.addEntry(index, text, true);
    });
  }

  private addEntry(product: number, text: string, words: boolean): void {
    const spelled = wordsOf(text);
    if (spelled.length === 0) return;
    const keys = spelled.map(matchKey);
    const compact = keys.join('');
    const id = this.entries.length;
    const grams = new Set(keys.flatMap(trigrams));
    this.entries.push({ product, keys, compact, grams: grams.size });
    this.exact.set(compact, [...(this.exact.get(compact) ?? []), id]);
    if (words) for (const w of spelled) this.vocabulary.add(w);
    for (const g of grams) {
      const list = this.byTrigram.get(g);
      if (list) list.push(id);
      else this.byTrigram.set(g, [id]);
    }
  }

  /** The product whose SKU this token is (case-insensitive). */
  productBySku(token: string): Product | undefined {
    const index = this.bySku.get(token.toLowerCase());
    return index === undefined ? undefined : this.products[index];
  }

  /** True when the word appears as such in some name or alias. */
  hasWord(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /** True when the word (or a one-letter slip of it) appears in some name or alias. */
  knowsWord(word: string): boolean {
    if (this.vocabulary.has(word)) return true;
    if (word.length < 4) return false;
    for (const v of this.vocabulary)
      if (Math.abs(v.length - word.length) <= 1 && editSimilarity(v, word) >= 0.75) return true;
    return false;
  }

  /** Products ranked by how well their best name or alias matches the mention, best first. */
  rank(mentionWords: readonly string[], limit = 10): ScoredProduct[] {
    const keys = mentionWords.map(matchKey).filter((k) => k.length > 0);
    if (keys.length === 0) return [];
    const compact = keys.join('');
    const best = new Map<number, number>();
    const consider = (entryId: number, score: number) => {
      const entry = this.entries[entryId];
      if (entry && score > (best.get(entry.product) ?? 0)) best.set(entry.product, score);
    };
    for (const id of this.exact.get(compact) ?? []) consider(id, 1);
    for (const id of this.candidates(keys)) {
      const entry = this.entries[id];
      if (entry) consider(id, scoreEntry(keys, compact, entry));
    }
    return [...best.entries()]
      .map(([index, score]) => ({ product: this.products[index], score }))
      .filter((s): s is ScoredProduct => s.product !== undefined && s.score > 0)
      .sort((a, b) => b.score - a.score || a.product.sku.localeCompare(b.product.sku))
      .slice(0, limit);
  }

  private candidates(keys: readonly string[]): number[] {
    const grams = new Set(keys.flatMap(trigrams));
    const shared = new Map<number, number>();
    for (const g of grams) {
      for (const id of this.byTrigram.get(g) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    // Dice coefficient, so that long names do not crowd out short exact-ish ones.
    const dice = (id: number, n: number) => (2 * n) / (grams.size + (this.entries[id]?.grams ?? 0));
    return [...shared.entries()]
      .map(([id, n]) => [id, dice(id, n)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATES)
      .map(([id]) => id);
  }
}

function coverage(from: readonly string[], to: readonly string[]): number {
  let sum = 0;
  for (const a of from) sum += Math.max(0, ...to.map((b) => wordSimilarity(a, b)));
  return sum / from.length;
}

/** Word-by-word coverage both ways, or the whole mention against the whole entry ("waiwai"). */
function scoreEntry(keys: readonly string[], compact: string, entry: Entry): number {
  if (compact === entry.compact) return 1;
  const entryCovered = coverage(entry.keys, keys);
  const mentionCovered = coverage(keys, entry.keys);
  const byWords = ENTRY_WEIGHT * entryCovered + (1 - ENTRY_WEIGHT) * mentionCovered;
  // Every mention word found in a longer name ("rara" in "Rara Noodles"): good for a
  // two-word name, only a suggestion for a longer one ("green" in "Ilam Green Tea").
  const partName = mentionCovered * (0.65 + 0.25 * entryCovered);
  const whole = editSimilarity(compact, entry.compact);
  // Slightly under an exact hit, so that a real alias always wins over a near spelling.
  return Math.min(0.97, Math.max(byWords, partName, whole < 0.5 ? 0 : whole));
}
