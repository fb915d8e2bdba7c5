import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import { nepaliCatalog } from '../corpus/nepali-catalog.js';
import type { ParsedOrderLine } from '../ports/order-text-parser.js';
import type { ProductId } from '../shared/ids.js';
import { LocalOrderTextParser } from './local-order-text-parser.js';

const NOW = new Date('2025-01-01T00:00:00.000Z');
let next = 900;
const make = (input: ProductInput): Product =>
  createProduct(input, `00000000-0000-7000-8000-${String(next++).padStart(12, '0')}` as ProductId, NOW);

/** One oil in three bottle sizes and one cola in two carton sizes, as a wholesaler lists them. */
const VARIANTS: Product[] = [
  ...(
    [
      ['500ML', 2, 24],
      ['1L', 1, 12],
      ['2L', 0.5, 6],
    ] as const
  ).map(([size, perLitre, carton]) =>
    make({
      sku: `OMUS-DHA-${size}`,
      name: `Dhara Mustard Oil ${size.toLowerCase()}`,
      category: 'oil',
      baseUnit: 'bottle',
      conversions: [
        { unit: 'litre', toBase: perLitre },
        { unit: 'carton', toBase: carton },
      ],
      aliases: [{ text: 'dhara tori tel', language: 'ne-Latn' }],
    }),
  ),
  ...[12, 24].map((carton) =>
    make({
      sku: `FIZZ-C${carton}`,
      name: `Fizz Cola (carton of ${carton})`,
      category: 'beverages',
      baseUnit: 'bottle',
      conversions: [{ unit: 'carton', toBase: carton }],
      aliases: [{ text: 'fizz', language: 'en' }],
    }),
  ),
];
const catalog = [...nepaliCatalog(), ...VARIANTS];
const parser = new LocalOrderTextParser(catalog);
const skuOf = new Map(catalog.map((p) => [p.id as string, p.sku]));

function line(text: string): ParsedOrderLine {
  const result = parser.parseSync(text);
  assert.is(result.lines.length, 1, text);
  return result.lines[0] as ParsedOrderLine;
}

/** "SKU qty unit" for an orderable line, or the clarification asked. */
function read(text: string): string {
  const l = line(text);
  return l.needsClarification ? l.clarification : `${skuOf.get(l.productId)} ${l.quantity} ${l.unit ?? '-'}`;
}

test('size × count: the count is the quantity, in the unit that holds the size', () => {
  assert.is(read('rice 25kg x 4'), 'RICE-MANSULI 4 bag');
  assert.is(read('4 x 25kg chamal'), 'RICE-MANSULI 4 bag');
  assert.is(read('Mustard oil 1L x 12'), 'OIL-MUSTARD 12 bottle');
  assert.is(read('12 pcs of 1 litre mustard oil'), 'OIL-MUSTARD 12 bottle');
  assert.is(read('chini 50 kg ko 3 bora'), 'SUGAR 3 bag');
  assert.is(read('atta 5kg x 10'), 'ATTA 10 packet');
});

test('the size picks one pack variant among products sharing a name', () => {
  assert.is(read('dhara tori tel 1L x 12'), 'OMUS-DHA-1L 12 bottle');
  assert.is(read('dhara tori tel 500ml x 24'), 'OMUS-DHA-500ML 24 bottle');
  assert.is(read('12 pcs of 2 ltr dhara tori tel'), 'OMUS-DHA-2L 12 bottle');
  assert.is(read('2 carton of 500ml dhara tori tel'), 'OMUS-DHA-500ML 2 carton');
  // No size: three products fit, so the shop is asked, with the variants as choices.
  const unsized = line('dhara tori tel 12 bottle');
  assert.is(unsized.clarification, 'AMBIGUOUS_PRODUCT');
  assert.equal(
    unsized.suggestions
      .slice(0, 3)
      .map((s) => s.sku)
      .sort(),
    ['OMUS-DHA-1L', 'OMUS-DHA-2L', 'OMUS-DHA-500ML'],
  );
});

test('a per-carton count picks the carton that holds it, and asks when none does', () => {
  assert.is(read('fizz 2 peti (24)'), 'FIZZ-C24 2 carton');
  assert.is(read('fizz 2 peti (12)'), 'FIZZ-C12 2 carton');
  assert.is(read('coke 2 peti (12)'), 'COKE 2 carton');
  assert.is(read('wai wai 5 carton 30 packet'), 'NDL-WAIWAI 5 carton');
  assert.is(read('coke 2 peti (24)'), 'UNSUPPORTED_UNIT');
});

test('a size the product is not packed in is a question, never the nearest pack', () => {
  assert.is(read('masuro 25 kg x 2'), 'UNSUPPORTED_UNIT');
  assert.is(read('dhara tori tel 5L x 2'), 'AMBIGUOUS_PRODUCT');
});

test('numbers that can be read two ways are a question, never a guess', () => {
  for (const text of ['chamal 25 4', 'rice 2kg x 5kg', 'coke 12 x 24', 'chini 2 x 3']) {
    const l = line(text);
    assert.ok(l.needsClarification, text);
    assert.is(l.clarification, 'UNCLEAR_QUANTITY', text);
    assert.ok(l.productId !== null, `${text}: the product is still named, only the amount is asked`);
  }
});

test('a price said along is not a quantity', () => {
  assert.is(read('Rice 2 bag @ 2400'), 'RICE-MANSULI 2 bag');
  assert.is(read('chini 1 bora rs 5400'), 'SUGAR 1 bag');
});

test('pieces of a bottled or packed product are bottles or packets; other unsold units ask', () => {
  assert.is(read('coke 12 pieces'), 'COKE 12 bottle');
  assert.is(read('wai wai 60 pcs'), 'NDL-WAIWAI 60 packet');
  assert.is(read('sugar 2 packets'), 'UNSUPPORTED_UNIT');
  assert.is(read('ghee 2 bottle'), 'UNSUPPORTED_UNIT');
});

test('a size the catalog cannot check describes the product and leaves the amount alone', () => {
  // The catalog does not know how much a Coca-Cola bottle holds.
  assert.is(read('coca cola 1.5 ltr 2 carton'), 'COKE 2 carton');
});

test.run();
