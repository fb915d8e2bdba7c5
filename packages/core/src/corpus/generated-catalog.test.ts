import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conversionFactor } from '../catalog/product.js';
import { generatedCatalog, generatedCatalogCapacity, generatedCatalogEntries } from './generated-catalog.js';
import { NEPALI_CATALOG } from './nepali-catalog.js';

const catalog = generatedCatalog();

test('5,000 products by default, unique skus, the Nepali catalog first and unchanged', () => {
  assert.is(catalog.length, 5_000);
  assert.is(new Set(catalog.map((p) => p.sku)).size, catalog.length);
  NEPALI_CATALOG.forEach((entry, i) => {
    assert.is(catalog[i]?.sku, entry.sku);
    assert.equal(catalog[i]?.aliases, entry.aliases ?? []);
  });
});

test('deterministic from the seed; a smaller catalog is part of a bigger one', () => {
  const skus = (size: number, seed?: number) =>
    generatedCatalogEntries(seed === undefined ? { size } : { size, seed }).map((e) => e.sku);
  assert.equal(skus(5_000), catalog.map((p) => p.sku));
  const big = new Set(skus(5_000));
  for (const sku of skus(1_000)) assert.ok(big.has(sku), sku);
  assert.not.equal(skus(1_000, 99), skus(1_000));
  assert.throws(() => generatedCatalogEntries({ size: generatedCatalogCapacity() + 1 }));
});

test('the categories a Nepali wholesaler carries', () => {
  const categories = new Set(catalog.map((p) => p.category));
  for (const c of [
    'rice',
    'flour',
    'pulses',
    'oil',
    'staples',
    'spices',
    'beverages',
    'noodles',
    'biscuits',
    'snacks',
    'dairy',
    'soap',
    'personal care',
    'household',
  ]) {
    assert.ok(categories.has(c), c);
  }
});

test('generated products are named by brand: a generic word stays with the hand-written catalog', () => {
  const generated = catalog.slice(NEPALI_CATALOG.length);
  const generic = new Set(['rice', 'chamal', 'dal', 'oil', 'tel', 'chini', 'sugar', 'tea', 'chiya', 'noodles', 'biscuit']);
  for (const p of generated) {
    for (const a of p.aliases) assert.not.ok(generic.has(a.text), `${p.sku}: "${a.text}"`);
    assert.ok(p.aliases.some((a) => a.language === 'en'), `${p.sku} has an English alias`);
    assert.ok(p.aliases.some((a) => a.language === 'ne-Latn'), `${p.sku} has a romanised alias`);
  }
  const devanagari = generated.filter((p) => p.aliases.some((a) => a.language === 'ne')).length;
  assert.ok(devanagari / generated.length > 0.8, `${devanagari} of ${generated.length} have a Devanagari alias`);
});

test('every pack holds what its name says, in its weight or volume unit', () => {
  for (const p of catalog.slice(NEPALI_CATALOG.length)) {
    const m = /(\d+)(kg|g|ml|L)$/.exec(p.name);
    if (!m) return assert.unreachable(`${p.name} has no size`);
    const unit = m[2] === 'L' ? 'litre' : (m[2] as 'kg' | 'g' | 'ml');
    const holds = conversionFactor(p, p.baseUnit, unit);
    assert.ok(holds !== undefined && Math.abs(holds - Number(m[1])) < 1e-6, `${p.sku}: one ${p.baseUnit} holds ${holds}`);
    assert.ok(p.baseUnit !== 'bag' || p.conversions.length === 1, `${p.sku}: bags are not cartoned`);
  }
});

test.run();
