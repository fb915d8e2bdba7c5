import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatedCatalog } from '../corpus/generated-catalog.js';
import { nepaliCatalog } from '../corpus/nepali-catalog.js';
import type { ParseContext, ParsedOrderLine } from '../ports/order-text-parser.js';
import type { PurchaseRecord } from '../ports/purchase-history.js';
import type { ProductId } from '../shared/ids.js';
import { LocalOrderTextParser } from './local-order-text-parser.js';

const catalog = nepaliCatalog();
const parser = new LocalOrderTextParser(catalog);
const idOf = (sku: string): ProductId => {
  const p = catalog.find((x) => x.sku === sku);
  if (!p) throw new Error(`${sku} missing`);
  return p.id;
};
const skuOf = new Map(generatedCatalog().map((p) => [p.id as string, p.sku]));
const bought = (sku: string, orders: number, daysAgo = 3): PurchaseRecord => ({
  productId: idOf(sku),
  orders,
  lastOrderedAt: new Date(Date.UTC(2026, 0, 30 - daysAgo)),
});

function only(text: string, context?: ParseContext, on = parser): ParsedOrderLine {
  const lines = on.parseSync(text, context).lines;
  assert.is(lines.length, 1, text);
  return lines[0] as ParsedOrderLine;
}

test('a generic word asks without context', () => {
  const line = only('dal 5 kg');
  assert.is(line.clarification, 'AMBIGUOUS_PRODUCT');
  assert.ok(line.suggestions.length >= 3, 'the question offers the top choices');
});

test("a generic word is the shop's usual product, and says so", () => {
  const line = only('dal 5 kg', { history: [bought('DAL-MOONG', 2, 40), bought('DAL-MASOOR', 12)] });
  if (line.needsClarification) return assert.unreachable('resolved from history');
  assert.is(skuOf.get(line.productId), 'DAL-MASOOR');
  assert.is(line.resolvedBy, 'history');
  assert.is(line.quantity, 5);
  assert.is(line.unit, 'kg');
  assert.is(line.suggestions[0]?.sku, 'DAL-MASOOR');
});

test('history ties go to the most recent purchase', () => {
  const line = only('dal 5 kg', { history: [bought('DAL-MOONG', 4, 20), bought('DAL-CHANA', 4, 2)] });
  assert.is(line.needsClarification ? null : skuOf.get(line.productId), 'DAL-CHANA');
});

test('history does not answer for another word, a single purchase, or a unit the product lacks', () => {
  assert.ok(only('dal 5 kg', { history: [bought('SUGAR', 30)] }).needsClarification, 'sugar is no dal');
  assert.ok(only('dal 5 kg', { history: [bought('DAL-MASOOR', 1)] }).needsClarification, 'once is not usual');
  assert.ok(only('dal 2 peti', { history: [bought('DAL-MASOOR', 12)] }).needsClarification, 'no dal is sold by carton');
  assert.ok(
    only('dal 25 4', { history: [bought('DAL-MASOOR', 12)] }).needsClarification,
    'the amount is still unclear',
  );
});

test("a specific mention is not overridden by the shop's habits", () => {
  const line = only('mugi dal 5 kg', { history: [bought('DAL-MASOOR', 12)] });
  assert.is(line.needsClarification ? null : skuOf.get(line.productId), 'DAL-MOONG');
  assert.is(line.needsClarification ? null : line.resolvedBy, 'match');
});

test("without history, the catalog's default for the word", () => {
  const defaults = new Map([['tel', idOf('OIL-MUSTARD')]]);
  const line = only('tel 2 peti', { defaults });
  if (line.needsClarification) return assert.unreachable('resolved by the default');
  assert.is(skuOf.get(line.productId), 'OIL-MUSTARD');
  assert.is(line.resolvedBy, 'default');
  // History comes first.
  const usual = only('tel 2 peti', { defaults, history: [bought('OIL-SOYA', 6)] });
  assert.is(usual.needsClarification ? null : skuOf.get(usual.productId), 'OIL-SOYA');
});

test("on the 5,000-product catalog the shop's usual brand wins over the catalog's everyday product", () => {
  const big = generatedCatalog();
  const on = new LocalOrderTextParser(big);
  const dhara = big.find((p) => p.sku.startsWith('OMUS-DHA-') && p.sku.endsWith('-1L'));
  if (!dhara) return assert.unreachable('a Dhara 1L mustard oil');
  const history: PurchaseRecord[] = [{ productId: dhara.id, orders: 8, lastOrderedAt: new Date() }];
  const everyday = only('tori tel 12 bottle', {}, on);
  assert.is(everyday.needsClarification ? null : skuOf.get(everyday.productId), 'OIL-MUSTARD');
  const line = only('tori tel 12 bottle', { history }, on);
  assert.is(line.needsClarification ? null : line.productId, dhara.id);
  assert.is(line.needsClarification ? null : line.resolvedBy, 'history');
  // "2 peti" of it: the carton of the 1 L bottles.
  const cartons = only('tori tel 2 peti', { history }, on);
  assert.equal(cartons.needsClarification ? null : [cartons.productId, cartons.unit], [dhara.id, 'carton']);
});

test.run();
