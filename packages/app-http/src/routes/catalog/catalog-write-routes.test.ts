import { CLOCK, ErrorCodes, OUTBOX } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../../testing/test-app.js';
import { parseCsv } from './csv.js';

let app: TestApp;
let shop: Shop;

test.before(async () => {
  app = await startTestApp({ risk: 'allow-all' });
  shop = await seedShop(app);
});
test.after(async () => app?.close());

const pending = async () => (await app.composition.get(OUTBOX).stats(app.composition.get(CLOCK).now())).pending;
const rice = { sku: 'chamal-25', name: 'Jeera Masino Rice 25kg', category: 'Rice', baseUnit: 'bag' };

test('csv: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, BOM, blank lines', () => {
  const t = parseCsv('\ufeffSKU,Name\r\nA-1,"Rice, ""best"""\r\n\r\nB-2,"two\nlines"\nC-3,');
  assert.equal(t.header, ['sku', 'name']);
  assert.equal(
    t.rows.map((r) => [r.line, ...r.fields]),
    [
      [2, 'A-1', 'Rice, "best"'],
      [4, 'B-2', 'two\nlines'],
      [6, 'C-3', ''],
    ],
  );
  assert.throws(() => parseCsv('a,b\n"open'), /not closed/);
  assert.throws(() => parseCsv('a,b\nx"y,1'), /quote inside/);
});

test('products: created (201, sku normalised) then updated by SKU (200); Idempotency-Key replays; PUT keeps the SKU', async () => {
  const post = (body: unknown, key?: string) =>
    app.request('POST', '/api/v1/products', {
      token: shop.tokens.operator,
      body,
      ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
    });
  const created = await post(rice, 'rice-1');
  assert.equal([created.status, created.body.sku, created.body.category], [201, 'CHAMAL-25', 'rice']);
  assert.is(created.headers.get('Location'), `/api/v1/products/${created.body.id}`);
  const replay = await post(rice, 'rice-1');
  assert.equal(
    [replay.status, replay.headers.get('Idempotent-Replayed'), replay.body.id],
    [201, 'true', created.body.id],
  );
  assert.is((await post({ ...rice, name: 'other' }, 'rice-1')).status, 422, 'same key, another body');
  const updated = await post({ ...rice, aliases: [{ text: 'चामल', language: 'ne' }] });
  assert.equal([updated.status, updated.body.id, updated.body.aliases.length], [200, created.body.id, 1]);
  const put = await app.request('PUT', `/api/v1/products/${created.body.id}`, {
    token: shop.tokens.admin,
    body: { name: 'Jeera Masino 25kg', category: 'rice', baseUnit: 'bag', active: false },
  });
  assert.equal([put.status, put.body.sku, put.body.active], [200, 'CHAMAL-25', false]);
  const before = await pending();
  for (const body of [
    { ...rice, sku: 'bad sku!' },
    { ...rice, baseUnit: 'tonne' },
    { ...rice, price: 1 },
    { ...rice, conversions: [{ unit: 'carton', toBase: -1 }] },
    { sku: 'X1' },
  ]) {
    assert.is((await post(body)).status, 422, JSON.stringify(body));
  }
  assert.is((await app.request('POST', '/api/v1/products', { token: shop.tokens.vendor, body: rice })).status, 403);
  assert.is(await pending(), before, 'nothing refused was written');
  const missing = await app.request('PUT', '/api/v1/products/0190a0a0-0000-7000-8000-00000000cafe', {
    token: shop.tokens.admin,
    body: { name: 'x', category: 'y', baseUnit: 'bag' },
  });
  assert.is(missing.status, 404);
});

test("offers: a vendor writes its own (201 then 200), the price change is visible; another vendor's is 404", async () => {
  const product = (
    await app.request('POST', '/api/v1/products', { token: shop.tokens.admin, body: { ...rice, sku: 'DAL-1' } })
  ).body;
  const offer = (vendorId: string, token: string, unitPrice: number) =>
    app.request('POST', `/api/v1/vendors/${vendorId}/offers`, {
      token,
      body: { productId: product.id, unit: 'bag', unitPrice, stockOnHand: 40 },
    });
  const created = await offer(shop.vendorId, shop.tokens.vendor, 2_500_00);
  assert.equal([created.status, created.body.unitPrice.amount], [201, 2_500_00]);
  const changed = await offer(shop.vendorId, shop.tokens.vendor, 2_400_00);
  assert.equal([changed.status, changed.body.id], [200, created.body.id]);
  const listed = await app.request('GET', `/api/v1/products/${product.id}/offers`, { token: shop.tokens.retailer });
  assert.equal(
    listed.body.items.map((o: { unitPrice: { amount: number } }) => o.unitPrice.amount),
    [2_400_00],
  );
  assert.is((await offer(shop.vendorId, shop.tokens.otherVendor, 1)).status, 404);
  assert.is((await offer(shop.vendorId, shop.tokens.retailer, 1)).status, 403);
  const put = (productId: string, token = shop.tokens.vendor) =>
    app.request('PUT', `/api/v1/vendors/${shop.vendorId}/offers/${productId}`, {
      token,
      body: { unit: 'bag', unitPrice: 2_450_00, stockOnHand: 0, active: false },
    });
  const paused = await put(product.id);
  assert.equal([paused.status, paused.body.active], [200, false]);
  assert.is((await put(product.id, shop.tokens.otherVendor)).status, 404);
  const noOffer = (
    await app.request('POST', '/api/v1/products', { token: shop.tokens.admin, body: { ...rice, sku: 'DAL-2' } })
  ).body;
  assert.is((await put(noOffer.id)).status, 404, 'PUT changes an offer, it does not create one');
});

test('CSV import: per-row report, failures do not stop the others, re-import is unchanged; bounded and checked', async () => {
  const csv = [
    'sku,name,category,base_unit,conversions,aliases',
    'SUGAR-1,Sugar 1kg,sugar,kg,bag=50,chini@ne-Latn;चिनी@ne',
    'BAD SKU,Broken,sugar,kg,,',
    'SALT-1,"Salt, iodised 1kg",salt,packet,carton=25,nun@ne-Latn',
    'OIL-1,Oil,oil,gallon,,',
    'TEA-1,Tea,tea,packet,carton=x,',
  ].join('\n');
  const run = (body: unknown, token = shop.tokens.operator) =>
    app.request('POST', '/api/v1/catalog/import', { token, body });
  const first = await run({ kind: 'products', csv });
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.equal([first.body.created, first.body.failed], [2, 3]);
  assert.equal(
    first.body.rows.map((r: { line: number; outcome: string }) => [r.line, r.outcome]),
    [
      [2, 'created'],
      [3, 'failed'],
      [4, 'created'],
      [5, 'failed'],
      [6, 'failed'],
    ],
  );
  assert.ok(first.body.rows[1].error.code.startsWith('VALIDATION'), JSON.stringify(first.body.rows[1]));
  const salt = await app.request('GET', '/api/v1/products?search=SALT-1', { token: shop.tokens.retailer });
  assert.equal(salt.body.items[0].name, 'Salt, iodised 1kg');
  const quiet = await pending();
  const again = await run({ kind: 'products', csv });
  assert.equal([again.body.created, again.body.unchanged, again.body.failed], [0, 2, 3]);
  assert.is(await pending(), quiet, 're-importing the same file writes nothing');

  const offers =
    'sku,unit,unit_price,stock_on_hand,lead_time_hours\nSUGAR-1,kg,95.50,300,12\nNOPE-9,kg,1,1,\nSALT-1,packet,-3,10,\n';
  const mine = await run({ kind: 'offers', csv: offers }, shop.tokens.otherVendor);
  assert.equal(
    mine.body.rows.map((r: { outcome: string; error?: { code: string } }) => r.error?.code ?? r.outcome),
    ['created', ErrorCodes.NOT_FOUND, 'VALIDATION.INVALID'],
  );
  const offersAgain = await run(
    { kind: 'offers', csv: offers.replace('95.50,300', '95.50,299') },
    shop.tokens.otherVendor,
  );
  assert.equal([offersAgain.body.updated, offersAgain.body.created], [1, 0], 'the stock changed');
  const listed = await app.request('GET', `/api/v1/vendors/${shop.otherVendorId}/offers`, {
    token: shop.tokens.otherVendor,
  });
  assert.ok(listed.body.items.some((o: { unitPrice: { amount: number } }) => o.unitPrice.amount === 95_50));

  const before = await pending();
  const refused = [
    await run({ kind: 'products', csv: 'sku,name\nA,B' }),
    await run({ kind: 'products', csv: 'sku,name,category,base_unit,colour\nA-1,B,c,kg,red' }),
    await run({ kind: 'products', csv: 'sku,name,category,base_unit\n"A-1,B' }),
    await run({ kind: 'offers', csv: offers }),
    await run({ kind: 'products', csv: `sku,name,category,base_unit\n${'A-1,B,c,kg\n'.repeat(1_001)}` }),
    await run({ kind: 'products', csv: 'x'.repeat(262_145) }),
  ];
  assert.equal(
    refused.map((r) => r.status),
    [422, 422, 422, 422, 422, 422],
  );
  assert.is((await run({ kind: 'products', csv }, shop.tokens.vendor)).status, 403);
  assert.is((await run({ kind: 'offers', vendorId: shop.vendorId, csv: offers }, shop.tokens.otherVendor)).status, 404);
  assert.is(await pending(), before, 'a refused import writes nothing');
});

test.run();
