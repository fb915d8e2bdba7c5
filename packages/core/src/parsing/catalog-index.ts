import type { Product } from '../catalog/product.js';
import { isFiller } from './filler-words.js';
import { editSimilarity, trigrams, wordSimilarity } from './similarity.js';
import { matchKey, normalizeText } from './text-normalize.js';

/**
 * One searchable spelling (a name, an alias or a SKU) and the products that carry it: the
 * pack sizes of one product share their aliases, so a spelling is scored once for all.
 */
interface Spelling {
  readonly keys: readonly string[];
  readonly compact: string;
  /** Slots of the products carrying it, one per carrying entry (a product may carry it twice). */
  readonly slots: number[];
}

export interface ScoredProduct {
  readonly product: Product;
  /** 0..1 */
  readonly score: number;
}

/** Candidates scored in full per mention; the rest are cut by their word overlap first. */
const CANDIDATES = 80;
/** Entry coverage weighs more than mention coverage: extra words in a message are common, missing ones are not. */
const ENTRY_WEIGHT = 0.6;
/** Trigram Dice under which a catalog word is not worth an edit-distance check against a mention word. */
const WORD_DICE_FLOOR = 0.3;
/** Below this, a word the catalog knows exactly is not taken for another catalog word. */
const KNOWN_WORD_FLOOR = 0.8;
/** Room for spelling ids in the packed (score, id) numbers `rank` sorts. */
const ID_SPACE = 2 ** 21;

/** Words of a name or mention: letters and digits apart ("1l" → "1 l"), particles dropped. */
export function wordsOf(text: string): string[] {
  return normalizeText(text)
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .split(/[^\p{L}\p{M}\d.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter((w) => w.length > 0 && !isFiller(w));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Adds to a count, dropping the key at zero. */
function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

/**
 * The catalog prepared for matching, built once and updated in place when a product
 * changes. A mention is looked up word by word: each word finds the catalog words that
 * spell like it through a trigram map over the distinct catalog words (a few thousand,
 * not every name), and those words find their entries through a word map. Only the
 * entries sharing the most with the mention are scored in full; nothing scans the catalog.
 */
export class CatalogIndex {
  /** Products by slot; a removed product leaves an empty slot. */
  private readonly slots: (Product | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  /** Spellings each slot carries, and the words of its names and aliases (for the vocabulary). */
  private readonly spellingsOfSlot = new Map<number, number[]>();
  private readonly wordsOfSlot = new Map<number, string[]>();
  private readonly spellings: Spelling[] = [];
  /** Compact key of a spelling ("vaivai") → its id: also the exact-hit map. */
  private readonly byCompact = new Map<string, number>();
  /** Match key of a word → spellings holding it. */
  private readonly byKey = new Map<string, number[]>();
  /** Live spellings per match key: a key with none left is no longer a catalog word. */
  private readonly keyUse = new Map<string, number>();
  /** Trigram → distinct match keys that contain it. */
  private readonly keysByGram = new Map<string, string[]>();
  private readonly gramCount = new Map<string, number>();
  private readonly bySku = new Map<string, number>();
  /** Words as written in names and aliases (not SKUs), with how many entries use them. */
  private readonly vocabulary = new Map<string, number>();
  /** Scratch for `rank`: overlap per spelling, and which spellings it touched. */
  private overlap = new Float64Array(0);
  private packed = new Float64Array(0);
  /** Per spelling id: how many live products carry it, and how many words it has (hot in `rank`). */
  private readonly carriers: number[] = [];
  private readonly lengths: number[] = [];
  private readonly touched: number[] = [];
  private retired = 0;

  constructor(products: readonly Product[]) {
    for (const product of products) this.upsert(product);
  }

  /** The active products the index holds. */
  get products(): readonly Product[] {
    return this.slots.filter((p): p is Product => p !== undefined);
  }

  /**
   * Adds a product, or replaces the indexed version of one (same id): its old spellings stop
   * matching and its new ones start. An inactive product is removed. Costs the product's
   * own spellings, never a pass over the catalog.
   */
  upsert(product: Product): void {
    const known = this.slotById.get(product.id);
    if (known !== undefined) this.retire(known);
    if (!product.active) return;
    const slot = known ?? this.slots.length;
    this.slots[slot] = product;
    this.slotById.set(product.id, slot);
    this.bySku.set(product.sku.toLowerCase(), slot);
    const carried: number[] = [];
    const words: string[] = [];
    // A SKU is matched as a whole, but its pieces ("MAID-MAN-1KG") are not words a shop writes.
    this.addSpelling(slot, wordsOf(product.sku), carried);
    for (const text of [product.name, ...product.aliases.map((a) => a.text)]) {
      const spelled = wordsOf(text);
      this.addSpelling(slot, spelled, carried);
      words.push(...spelled);
    }
    for (const w of words) bump(this.vocabulary, w, 1);
    this.spellingsOfSlot.set(slot, carried);
    this.wordsOfSlot.set(slot, words);
    const stale = this.retired > 1_000 && this.retired > this.slotById.size;
    // Spelling ids must stay under ID_SPACE for the packed sort in `rank`.
    if (stale || this.spellings.length > ID_SPACE / 2) this.rebuild();
  }

  /** Stops matching a product (deleted or deactivated). */
  remove(productId: string): void {
    const slot = this.slotById.get(productId);
    if (slot !== undefined) this.retire(slot);
  }

  private retire(slot: number): void {
    const product = this.slots[slot];
    if (product && this.bySku.get(product.sku.toLowerCase()) === slot) this.bySku.delete(product.sku.toLowerCase());
    this.slots[slot] = undefined;
    for (const id of this.spellingsOfSlot.get(slot) ?? []) {
      const spelling = this.spellings[id];
      if (!spelling) continue;
      spelling.slots.splice(spelling.slots.indexOf(slot), 1);
      this.carriers[id] = spelling.slots.length;
      if (spelling.slots.length === 0) for (const key of new Set(spelling.keys)) bump(this.keyUse, key, -1);
    }
    for (const w of this.wordsOfSlot.get(slot) ?? []) bump(this.vocabulary, w, -1);
    this.spellingsOfSlot.delete(slot);
    this.wordsOfSlot.delete(slot);
    this.retired += 1;
  }

  private addSpelling(slot: number, spelled: readonly string[], carried: number[]): void {
    if (spelled.length === 0) return;
    const keys = spelled.map(matchKey);
    const compact = keys.join('');
    let id = this.byCompact.get(compact);
    // Same compact key, other word breaks ("wai wai" / "waiwai"): kept apart, they score differently.
    const existing = id === undefined ? undefined : this.spellings[id];
    if (existing === undefined || existing.keys.join(' ') !== keys.join(' ')) {
      id = this.spellings.length;
      this.spellings.push({ keys, compact, slots: [] });
      this.carriers.push(0);
      this.lengths.push(keys.length);
      if (existing === undefined) this.byCompact.set(compact, id);
      else push(this.sameCompact, compact, id);
      for (const key of new Set(keys)) {
        push(this.byKey, key, id);
        if (!this.gramCount.has(key)) {
          const grams = new Set(trigrams(key));
          this.gramCount.set(key, grams.size);
          for (const g of grams) push(this.keysByGram, g, key);
        }
      }
    }
    const spelling = this.spellings[id as number] as Spelling;
    if (spelling.slots.length === 0) for (const key of new Set(keys)) bump(this.keyUse, key, 1);
    spelling.slots.push(slot);
    this.carriers[id as number] = spelling.slots.length;
    carried.push(id as number);
  }

  /** Spellings sharing a compact key with the first one registered under it. */
  private readonly sameCompact = new Map<string, number[]>();

  /** Rebuilds the maps without retired products, once they outnumber the live ones. */
  private rebuild(): void {
    const products = this.products;
    for (const map of [
      this.slotById,
      this.spellingsOfSlot,
      this.wordsOfSlot,
      this.byCompact,
      this.sameCompact,
      this.byKey,
      this.keyUse,
      this.keysByGram,
      this.gramCount,
      this.bySku,
      this.vocabulary,
    ]) {
      map.clear();
    }
    this.slots.length = 0;
    this.spellings.length = 0;
    this.carriers.length = 0;
    this.lengths.length = 0;
    this.retired = 0;
    for (const product of products) this.upsert(product);
  }

  productById(productId: string): Product | undefined {
    const slot = this.slotById.get(productId);
    return slot === undefined ? undefined : this.slots[slot];
  }

  /** The product whose SKU this token is (case-insensitive). */
  productBySku(token: string): Product | undefined {
    const slot = this.bySku.get(token.toLowerCase());
    return slot === undefined ? undefined : this.slots[slot];
  }

  /** True when the word appears as such in some name or alias. */
  hasWord(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /** True when the word (or a one-letter slip of it) appears in some name or alias. */
  knowsWord(word: string): boolean {
    if (this.vocabulary.has(word)) return true;
    if (word.length < 4) return false;
    const key = matchKey(word);
    for (const other of this.similarKeys(key).keys()) {
      if (Math.abs(other.length - key.length) <= 1 && editSimilarity(other, key) >= 0.75) return true;
    }
    return false;
  }

  /** Catalog words that spell like this mention word, with their similarity (0.5..1). */
  private similarKeys(key: string): Map<string, number> {
    const out = new Map<string, number>();
    const known = this.keyUse.has(key);
    if (known) out.set(key, 1);
    if (key.length < 3) return out;
    const grams = new Set(trigrams(key));
    const shared = new Map<string, number>();
    for (const g of grams)
      for (const other of this.keysByGram.get(g) ?? []) shared.set(other, (shared.get(other) ?? 0) + 1);
    for (const [other, n] of shared) {
      if (other === key || !this.keyUse.has(other)) continue;
      if ((2 * n) / (grams.size + (this.gramCount.get(other) ?? 0)) < WORD_DICE_FLOOR) continue;
      const s = wordSimilarity(key, other);
      // A word the catalog has as such means itself ("chamal" is no slip of "himal"); only
      // a longer or shorter form of it ("biscuit", "biscuits") still counts.
      if (s > 0 && (!known || s >= KNOWN_WORD_FLOOR)) out.set(other, s);
    }
    return out;
  }

  /** How well one product's best name or alias matches the mention (0 when it is not indexed). */
  scoreProduct(mentionWords: readonly string[], productId: string): number {
    const slot = this.slotById.get(productId);
    const keys = mentionWords.map(matchKey).filter((k) => k.length > 0);
    if (slot === undefined || this.slots[slot] === undefined || keys.length === 0) return 0;
    const compact = keys.join('');
    const similar = keys.map((k) => this.similarKeys(k));
    let best = 0;
    for (const id of this.spellingsOfSlot.get(slot) ?? []) {
      const spelling = this.spellings[id];
      if (spelling) best = Math.max(best, scoreEntry(keys, compact, spelling, similar));
    }
    return best;
  }

  /** Products ranked by how well their best name or alias matches the mention, best first. */
  rank(mentionWords: readonly string[], limit = 10): ScoredProduct[] {
    const keys = mentionWords.map(matchKey).filter((k) => k.length > 0);
    if (keys.length === 0) return [];
    const compact = keys.join('');
    const similar = keys.map((k) => this.similarKeys(k));
    if (this.overlap.length < this.spellings.length) this.overlap = new Float64Array(this.spellings.length * 2);
    // How much of the mention each spelling holds, as a cheap first cut.
    const { overlap, touched } = this;
    for (const words of similar) {
      for (const [key, s] of words) {
        for (const id of this.byKey.get(key) ?? []) {
          if (overlap[id] === 0) touched.push(id);
          overlap[id] = (overlap[id] ?? 0) + s;
        }
      }
    }
    // Dice of each touched spelling, packed with its id into one number so that a native
    // numeric sort orders them (dice to 1e-6 in the high part, the id in the low 21 bits).
    let packed = this.packed.length >= touched.length ? this.packed : new Float64Array(touched.length * 2);
    this.packed = packed;
    let n = 0;
    const { carriers, lengths } = this;
    for (const id of touched) {
      if ((carriers[id] ?? 0) > 0) {
        const dice = (2 * (overlap[id] ?? 0)) / (keys.length + (lengths[id] ?? 1));
        packed[n++] = Math.floor(dice * 1e6) * ID_SPACE + id;
      }
      overlap[id] = 0;
    }
    touched.length = 0;
    packed = packed.subarray(0, n);
    // Only the best CANDIDATES need order: select them to the end, then sort just those.
    const from = Math.max(0, n - CANDIDATES);
    if (from > 0) selectFrom(packed, from);
    packed.subarray(from).sort();
    const ranked: { spelling: Spelling; score: number }[] = [];
    const exactId = this.byCompact.get(compact);
    if (exactId !== undefined) {
      for (const id of [exactId, ...(this.sameCompact.get(compact) ?? [])]) {
        const spelling = this.spellings[id];
        if (spelling && spelling.slots.length > 0) ranked.push({ spelling, score: 1 });
      }
    }
    for (let i = n - 1; i >= from; i--) {
      const spelling = this.spellings[(packed[i] ?? 0) % ID_SPACE];
      if (spelling) ranked.push({ spelling, score: scoreEntry(keys, compact, spelling, similar) });
    }
    ranked.sort((a, b) => b.score - a.score);
    // A product scores its best spelling: walking spellings best first, the first sight of a
    // product is its score, and once `limit` products are in only ties can still join.
    const out: ScoredProduct[] = [];
    const seen = new Set<number>();
    for (const { spelling, score } of ranked) {
      if (score <= 0) break;
      const last = out[out.length - 1];
      if (out.length >= limit && last !== undefined && score < last.score) break;
      for (const slot of spelling.slots) {
        const product = this.slots[slot];
        if (product === undefined || seen.has(slot)) continue;
        seen.add(slot);
        out.push({ product, score });
      }
    }
    return out.sort((a, b) => b.score - a.score || bySku(a.product, b.product)).slice(0, limit);
  }
}

/**
 * Rearranges `a` so that a[from..] holds its largest values (in no order) and a[..from]
 * the rest: Hoare's selection, linear on average, where a full sort would not be.
 */
function selectFrom(a: Float64Array, from: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (from <= j) hi = j;
    else if (from >= i) lo = i;
    else return;
  }
}

/** Code-point order: SKUs are upper-case ASCII, and `localeCompare` costs more than it tells here. */
const bySku = (a: Product, b: Product): number => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/** How alike mention word `i` and catalog word `key` are, from the lookup already made. */
const simOf = (similar: readonly Map<string, number>[], i: number, key: string): number => similar[i]?.get(key) ?? 0;

/** Word-by-word coverage both ways, or the whole mention against the whole entry ("waiwai"). */
function scoreEntry(
  keys: readonly string[],
  compact: string,
  entry: Spelling,
  similar: readonly Map<string, number>[],
): number {
  if (compact === entry.compact) return 1;
  let entrySum = 0;
  for (const e of entry.keys) {
    let m = 0;
    for (let i = 0; i < keys.length; i++) m = Math.max(m, simOf(similar, i, e));
    entrySum += m;
  }
  let mentionSum = 0;
  for (let i = 0; i < keys.length; i++) {
    let m = 0;
    for (const e of entry.keys) m = Math.max(m, simOf(similar, i, e));
    mentionSum += m;
  }
  const entryCovered = entrySum / entry.keys.length;
  const mentionCovered = mentionSum / keys.length;
  const byWords = ENTRY_WEIGHT * entryCovered + (1 - ENTRY_WEIGHT) * mentionCovered;
  // Every mention word found in a longer name ("rara" in "Rara Noodles"): good for a
  // two-word name, only a suggestion for a longer one ("green" in "Ilam Green Tea").
  const partName = mentionCovered * (0.65 + 0.25 * entryCovered);
  const byParts = Math.max(byWords, partName);
  // The whole spelling is for words joined or split otherwise ("waiwai", "sun silk"); with
  // as many words on both sides the words were compared already. And only when it could
  // win: edit similarity is at most the shorter length over the longer.
  const lengths = Math.min(compact.length, entry.compact.length) / Math.max(compact.length, entry.compact.length);
  const split = keys.length !== entry.keys.length;
  const whole = split && lengths > byParts && lengths >= 0.5 ? editSimilarity(compact, entry.compact) : 0;
  // Slightly under an exact hit, so that a real alias always wins over a near spelling.
  return Math.min(0.97, Math.max(byParts, whole < 0.5 ? 0 : whole));
}
