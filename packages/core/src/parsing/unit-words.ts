import type { Unit } from '../shared/quantity.js';

/**
 * "count" is the Nepali classifier ("5 ta", "५ वटा"): it says how many, not in what
 * unit, so the line keeps `unit: null` (the product's base unit). "other" is a container
 * the platform has no unit for ("1 tin ghee", "2 crate anda"): the line must be confirmed.
 */
export type UnitWord = Unit | 'count' | 'other';

const SPELLINGS: Readonly<Record<UnitWord, readonly string[]>> = {
  piece: ['pc', 'pcs', 'piece', 'pieces', 'pcs.', 'pis', 'nos', 'gota', 'goti', 'गोटा', 'पिस'],
  kg: ['kg', 'kgs', 'kilo', 'kilos', 'kilogram', 'kilograms', 'kilogramme', 'keji', 'k.g', 'किलो', 'केजी', 'के.जी'],
  g: ['g', 'gm', 'gms', 'gr', 'gram', 'grams', 'gramme', 'ग्राम'],
  litre: ['l', 'lt', 'ltr', 'ltrs', 'lit', 'litre', 'litres', 'liter', 'liters', 'litr', 'लिटर', 'लि'],
  ml: ['ml', 'mls', 'millilitre', 'milliliter', 'एमएल', 'मिलि'],
  carton: [
    'carton',
    'cartons',
    'cartoon',
    'cartoons',
    'ctn',
    'ctns',
    'katun',
    'kartun',
    'kartoon',
    'peti',
    'petti',
    'case',
    'cases',
    'कार्टुन',
    'कार्टून',
    'पेटी',
  ],
  bag: ['bag', 'bags', 'bora', 'bori', 'boro', 'boraa', 'sack', 'sacks', 'बोरा', 'बोरी'],
  packet: [
    'packet',
    'packets',
    'pkt',
    'pkts',
    'pack',
    'packs',
    'pkg',
    'paket',
    'packat',
    'pakit',
    'pocket',
    'प्याकेट',
    'पाकेट',
    'प्याकेटहरू',
  ],
  dozen: ['dozen', 'dozens', 'doz', 'dz', 'darjan', 'darjen', 'dajan', 'दर्जन'],
  bottle: ['bottle', 'bottles', 'btl', 'btls', 'botal', 'bottal', 'बोतल'],
  box: ['box', 'boxes', 'bx', 'batta', 'dibba', 'बट्टा', 'डिब्बा', 'बाकस'],
  count: ['ta', 'wota', 'wata', 'vata', 'ota', 'वटा', 'ओटा', 'टा'],
  other: [
    'tin',
    'tins',
    'crate',
    'crates',
    'tray',
    'trays',
    'jar',
    'jars',
    'drum',
    'drums',
    'gallon',
    'gallons',
    'jerrycan',
    'bundle',
    'bundles',
    // Weights and the traditional grain measures: read as the base unit they would be off by
    // 1000× (ton) or by an unknown factor (pathi, mana), so the line is asked about.
    'ton',
    'tons',
    'tonne',
    'tonnes',
    'quintal',
    'quintals',
    'kwintal',
    'kuintal',
    'dharni',
    'pathi',
    'mana',
    'muri',
    'टन',
    'क्विन्टल',
    'कुइन्टल',
    'धार्नी',
    'पाथी',
    'माना',
    'मुरी',
    'टिन',
    'क्रेट',
    'ट्रे',
    'जार',
  ],
};

const BY_WORD: ReadonlyMap<string, UnitWord> = new Map(
  (Object.entries(SPELLINGS) as [UnitWord, readonly string[]][]).flatMap(([unit, words]) =>
    words.map((w) => [w, unit] as const),
  ),
);

/** The unit a word names, if any ("ltr" → litre, "बोरा" → bag, "ta" → count). */
export function unitWord(word: string): UnitWord | undefined {
  return BY_WORD.get(word) ?? BY_WORD.get(word.replace(/\.$/, ''));
}

/** Units that count containers rather than measure weight or volume. */
export function isCountingUnit(unit: UnitWord): boolean {
  return unit !== 'kg' && unit !== 'g' && unit !== 'litre' && unit !== 'ml';
}
