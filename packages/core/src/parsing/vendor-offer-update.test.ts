import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatedCatalog } from '../corpus/index.js';
import { CatalogIndex } from './catalog-index.js';
import { parseVendorOfferUpdate } from './vendor-offer-update.js';

// The generated 5,000-product catalog: brands × pack sizes, so a bare generic word is often ambiguous.
const catalog = generatedCatalog();
const index = new CatalogIndex(catalog);

type Expected =
  | { price: [sku: string, minor: number] }
  | { stock: [sku: string, quantity: number, unit: string | null] }
  | { rejected: string; candidates?: string[] };

const CASES: [text: string, expected: Expected][] = [
  // Prices: the last number, in rupees, with or without a currency mark, in either script.
  ['annapurna mansuli 25kg 2150', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['annapurna mansuli chamal 25 kg rs 2150', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['अन्नपूर्ण मन्सुली चामल २५ केजी रु २१५०', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['annapurna mansuli rice 25kg Rs.2150', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['annapurna mansuli 25kg रु.2150/-', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['price annapurna mansuli 25kg 2150.50', { price: ['RMAN-ANN-25KG', 215_050] }],
  ['rate amul butter 100g 95', { price: ['BUTR-AMU-100G', 9_500] }],
  ['amul makhan 100g npr 95', { price: ['BUTR-AMU-100G', 9_500] }],
  ['अमुल मखन १०० ग्राम रु ९५', { price: ['BUTR-AMU-100G', 9_500] }],
  ['BUTR-AMU-100G 96', { price: ['BUTR-AMU-100G', 9_600] }],
  ['chini 95', { price: ['SUGAR', 9_500] }],
  ['sugar rs 92.5', { price: ['SUGAR', 9_250] }],
  ['चिनी रु ९२', { price: ['SUGAR', 9_200] }],
  ['चिनी रू. ९२', { price: ['SUGAR', 9_200] }],
  ['wai wai 20', { price: ['NDL-WAIWAI', 2_000] }],
  ['ariel liquid detergent 2l 650', { price: ['DLIQ-ARI-2L', 65_000] }],
  // Stock: "stock" first, the quantity last, a unit word after it optional.
  ['stock sugar 50 bora', { stock: ['SUGAR', 50, 'bag'] }],
  ['stock chini 50kg', { stock: ['SUGAR', 50, 'kg'] }],
  ['stock चिनी ५० बोरा', { stock: ['SUGAR', 50, 'bag'] }],
  ['stock annapurna mansuli 25kg 40 bora', { stock: ['RMAN-ANN-25KG', 40, 'bag'] }],
  ['stock amul butter 100g 120', { stock: ['BUTR-AMU-100G', 120, null] }],
  ['stok wai wai 30 carton', { stock: ['NDL-WAIWAI', 30, 'carton'] }],
  ['stock mustard oil 20 ltr', { stock: ['OIL-MUSTARD', 20, 'litre'] }],
  // Thousands with commas, in threes or in lakhs: the whole number, never the group after the last comma.
  ['annapurna mansuli 25kg 2,150', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['annapurna mansuli 25kg rs 2,150.50', { price: ['RMAN-ANN-25KG', 215_050] }],
  ['अन्नपूर्ण मन्सुली चामल २५ केजी रु २,१५०', { price: ['RMAN-ANN-25KG', 215_000] }],
  ['sugar 1,50,000', { price: ['SUGAR', 15_000_000] }],
  ['amul butter 100g 1,100', { price: ['BUTR-AMU-100G', 110_000] }],
  ['stock sugar 1,000 bora', { stock: ['SUGAR', 1_000, 'bag'] }],
  ['stock amul butter 100g 1,200', { stock: ['BUTR-AMU-100G', 1_200, null] }],
  ['stock sugar 1,500kg', { stock: ['SUGAR', 1_500, 'kg'] }],
  ['sugar 2,15', { rejected: 'BAD_NUMBER' }],
  ['stock sugar 1,0000 bora', { rejected: 'BAD_NUMBER' }],
  ['sugar -95', { rejected: 'BAD_NUMBER' }],
  ['sugar 1e9', { rejected: 'BAD_NUMBER' }],
  ['sugar 1 lakh', { rejected: 'NO_NUMBER' }],
  // Refused, each with its reason: never a guess.
  [
    'rice mansuli 25kg 2150',
    { rejected: 'AMBIGUOUS_PRODUCT', candidates: ['RMAN-ANN-25KG', 'RMAN-BAR-25KG', 'RMAN-BHI-25KG'] },
  ],
  ['annapurna mansuli 2150', { rejected: 'AMBIGUOUS_PRODUCT', candidates: ['RMAN-ANN-10KG', 'RMAN-ANN-25KG'] }],
  ['xyzzy 100', { rejected: 'UNKNOWN_PRODUCT' }],
  ['sugar', { rejected: 'NO_NUMBER' }],
  ['sugar 0', { rejected: 'BAD_NUMBER' }],
  ['sugar 12.345', { rejected: 'BAD_NUMBER' }],
  ['sugar 9999999999', { rejected: 'BAD_NUMBER' }],
  ['stock sugar 50 dabba', { rejected: 'UNKNOWN_UNIT' }],
  ['stock sugar', { rejected: 'NO_NUMBER' }],
  ['stock sugar many', { rejected: 'NO_NUMBER' }],
  ['2150', { rejected: 'NO_PRODUCT' }],
  ['rs 2150', { rejected: 'NO_PRODUCT' }],
  ['stock 50 bora', { rejected: 'NO_PRODUCT' }],
  ['', { rejected: 'NO_NUMBER' }],
];

for (const [text, expected] of CASES) {
  test(`"${text}"`, () => {
    const parsed = parseVendorOfferUpdate(text, index);
    if ('rejected' in expected) {
      assert.not.ok(parsed.ok, `refused: ${JSON.stringify(parsed)}`);
      if (parsed.ok) return;
      assert.is(parsed.rejection.reason, expected.rejected);
      if (expected.candidates && parsed.rejection.reason === 'AMBIGUOUS_PRODUCT') {
        const skus = parsed.rejection.candidates.map((p) => p.sku);
        for (const sku of expected.candidates) assert.ok(skus.includes(sku), `${sku} among ${skus.join()}`);
      }
      return;
    }
    assert.ok(parsed.ok, `read: ${JSON.stringify(parsed.ok ? null : parsed.rejection)}`);
    if (!parsed.ok) return;
    const { update } = parsed;
    if ('price' in expected) {
      assert.is(update.kind, 'price');
      assert.equal([update.product.sku, update.kind === 'price' ? update.price.amount : null], expected.price);
    } else {
      assert.is(update.kind, 'stock');
      assert.equal(
        [
          update.product.sku,
          update.kind === 'stock' ? update.quantity : null,
          update.kind === 'stock' ? update.unit : null,
        ],
        expected.stock,
      );
    }
  });
}

test('at least 30 phrasings, right and wrong', () => {
  assert.ok(CASES.length >= 30);
  assert.ok(CASES.filter(([, e]) => 'rejected' in e).length >= 10);
});

test("a vendor's own short list settles what the whole catalog finds ambiguous", () => {
  const own = catalog.filter((p) => p.sku === 'RMAN-ANN-25KG' || p.sku === 'SUGAR');
  const parsed = parseVendorOfferUpdate('rice mansuli 25kg 2150', own);
  assert.ok(parsed.ok);
  if (parsed.ok) assert.is(parsed.update.product.sku, 'RMAN-ANN-25KG');
});

test.run();
