import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParsedOrderText } from '../ports/order-text-parser.js';
import { nepaliCatalog } from '../corpus/nepali-catalog.js';
import { LocalOrderTextParser } from './local-order-text-parser.js';

const catalog = nepaliCatalog();
const parser = new LocalOrderTextParser(catalog);
const skuOf = new Map(catalog.map((p) => [p.id as string, p.sku]));

/** The lines that would be ordered as they are, as "SKU qty unit" ("-" for no unit). */
function placed(result: ParsedOrderText): string[] {
  return result.lines
    .filter((l) => l.productId !== null && !l.needsClarification)
    .map((l) => `${skuOf.get(l.productId ?? '')} ${l.quantity} ${l.unit ?? '-'}`);
}

async function expectOrder(text: string, expected: string[]): Promise<void> {
  const result = await parser.parse(text);
  assert.is(result.intent, 'order', text);
  assert.equal(placed(result), expected, text);
  assert.is(result.source, 'local');
}

test('English: "rice 10 kg", "2 bags rice", filler words around', async () => {
  await expectOrder('rice 10 kg', ['RICE-MANSULI 10 kg']);
  await expectOrder('2 bags rice', ['RICE-MANSULI 2 bag']);
  await expectOrder('Please send 5 cartons of Wai Wai', ['NDL-WAIWAI 5 carton']);
});

test('romanized Nepali: chamal/chawal, daal, tel, chini, nun', async () => {
  await expectOrder('2 bora chamal', ['RICE-MANSULI 2 bag']);
  await expectOrder('chawal 1 bora', ['RICE-MANSULI 1 bag']);
  await expectOrder('musuro daal 10 kg', ['DAL-MASOOR 10 kg']);
  await expectOrder('tori ko tel 2 peti', ['OIL-MUSTARD 2 carton']);
  await expectOrder('chini 1 bora', ['SUGAR 1 bag']);
  await expectOrder('nun 10 packet', ['SALT-AAYO 10 packet']);
});

test('Devanagari words, digits (०–९) and unit words', async () => {
  await expectOrder('चामल २ बोरा', ['RICE-MANSULI 2 bag']);
  await expectOrder('चिनी ५० केजी', ['SUGAR 50 kg']);
  await expectOrder('वाइवाइ ५ कार्टुन', ['NDL-WAIWAI 5 carton']);
  await expectOrder('तोरीको तेल २ पेटी', ['OIL-MUSTARD 2 carton']);
  await expectOrder('नुन १० प्याकेट', ['SALT-AAYO 10 packet']);
  await expectOrder('घिउ ५ लिटर', ['GHEE 5 litre']);
  await expectOrder('अण्डा २ दर्जन', ['EGG 2 dozen']);
  await expectOrder('चिया १ किलो', []); // tea is sold by packet and carton, never by kg
});

test('mixed scripts and languages on one line', async () => {
  await expectOrder('chamal २ bora', ['RICE-MANSULI 2 bag']);
  await expectOrder('2 बोरा chamal', ['RICE-MANSULI 2 bag']);
  await expectOrder('rice 2 bora, चिनी 20 kg', ['RICE-MANSULI 2 bag', 'SUGAR 20 kg']);
});

test('SKU forms: "10 x SKU", "SKU x 10", "SKU: 10", "5x SKU", "SKU x10"', async () => {
  await expectOrder('10 x SUGAR', ['SUGAR 10 -']);
  await expectOrder('SUGAR x 10', ['SUGAR 10 -']);
  await expectOrder('RICE-MANSULI: 50', ['RICE-MANSULI 50 -']);
  await expectOrder('5x SOAP-LUX', ['SOAP-LUX 5 -']);
  await expectOrder('TEA-TOKLA x10', ['TEA-TOKLA 10 -']);
  await expectOrder('NDL-WAIWAI x 5 carton', ['NDL-WAIWAI 5 carton']);
  await expectOrder('CHILLI × 4', ['CHILLI 4 -']);
});

test('quantity before or after the product: "5 carton wai wai", "wai wai 5 carton"', async () => {
  await expectOrder('5 carton wai wai', ['NDL-WAIWAI 5 carton']);
  await expectOrder('wai wai 5 carton', ['NDL-WAIWAI 5 carton']);
  await expectOrder('10kg chini', ['SUGAR 10 kg']);
  await expectOrder('chamal 2bora', ['RICE-MANSULI 2 bag']);
});

test('numbered lists and bullets', async () => {
  const expected = ['RICE-MANSULI 2 bag', 'SUGAR 1 bag', 'SALT-AAYO 1 carton'];
  await expectOrder('1. chamal 2 bora\n2. chini 1 bora\n3. nun 1 peti', expected);
  await expectOrder('1) chamal 2 bora\n2) chini 1 bora\n3) nun 1 peti', expected);
  await expectOrder('- chamal 2 bora\n* chini 1 bora\n• nun 1 peti', expected);
  await expectOrder('१. चामल २ बोरा\n२. चिनी १ बोरा', ['RICE-MANSULI 2 bag', 'SUGAR 1 bag']);
});

test('several items on one line: commas, semicolons, "ra"/"and" between quantities', async () => {
  await expectOrder('chamal 2 bora, wai wai 5 carton', ['RICE-MANSULI 2 bag', 'NDL-WAIWAI 5 carton']);
  await expectOrder('chini 1 bora; nun 1 bora', ['SUGAR 1 bag', 'SALT-AAYO 1 bag']);
  await expectOrder('2 bora chamal ra 1 bora chini', ['RICE-MANSULI 2 bag', 'SUGAR 1 bag']);
  await expectOrder('rice 10 kg sugar 5 kg', ['RICE-MANSULI 10 kg', 'SUGAR 5 kg']);
});

test('"salt and pepper" is not split into two items', async () => {
  const result = await parser.parse('salt and pepper... I mean salt 5 packet');
  assert.equal(placed(result), ['SALT-AAYO 5 packet']);
});

test('OCR-style noise: 0il, r1ce, 5ugar, 1O', async () => {
  await expectOrder('r1ce 10 kg', ['RICE-MANSULI 10 kg']);
  await expectOrder('5ugar 5 kg', ['SUGAR 5 kg']);
  await expectOrder('mustard 0il 1 carton', ['OIL-MUSTARD 1 carton']);
  await expectOrder('tea 1O packet', ['TEA-TOKLA 10 packet']);
});

test('typos are matched by edit distance and trigrams', async () => {
  await expectOrder('suger 20 kg', ['SUGAR 20 kg']);
  await expectOrder('chinni 1 bora', ['SUGAR 1 bag']);
  await expectOrder('lifeboy 2 carton', ['SOAP-LIFEBUOY 2 carton']);
  await expectOrder('waiwai 2 carton', ['NDL-WAIWAI 2 carton']);
  await expectOrder('चीनी ५ किलो', ['SUGAR 5 kg']);
});

test('unit spellings', async () => {
  const cases: [string, string][] = [
    ['sugar 5 kgs', 'SUGAR 5 kg'],
    ['sugar 5 kilo', 'SUGAR 5 kg'],
    ['sugar 500 g', 'SUGAR 500 g'],
    ['sugar 500 gm', 'SUGAR 500 g'],
    ['sugar 500 gram', 'SUGAR 500 g'],
    ['ghee 2 l', 'GHEE 2 litre'],
    ['ghee 2 ltr', 'GHEE 2 litre'],
    ['ghee 2 litre', 'GHEE 2 litre'],
    ['ghee 2 liter', 'GHEE 2 litre'],
    ['ghee 500 ml', 'GHEE 500 ml'],
    ['lux 6 pc', 'SOAP-LUX 6 piece'],
    ['lux 6 pcs', 'SOAP-LUX 6 piece'],
    ['lux 6 piece', 'SOAP-LUX 6 piece'],
    ['rara 5 packet', 'NDL-RARA 5 packet'],
    ['rara 5 pkt', 'NDL-RARA 5 packet'],
    ['rara 5 packets', 'NDL-RARA 5 packet'],
    ['rara 5 carton', 'NDL-RARA 5 carton'],
    ['rara 5 peti', 'NDL-RARA 5 carton'],
    ['rara 5 ctn', 'NDL-RARA 5 carton'],
    ['chamal 2 bag', 'RICE-MANSULI 2 bag'],
    ['chamal 2 bora', 'RICE-MANSULI 2 bag'],
    ['chamal 2 bori', 'RICE-MANSULI 2 bag'],
    ['anda 2 dozen', 'EGG 2 dozen'],
    ['anda 2 doz', 'EGG 2 dozen'],
    ['anda 2 darjan', 'EGG 2 dozen'],
    ['coke 6 bottle', 'COKE 6 bottle'],
    ['coke 6 btl', 'COKE 6 bottle'],
    ['salai 10 box', 'MATCHBOX 10 box'],
    ['anda 30 ta', 'EGG 30 -'],
  ];
  for (const [text, line] of cases) await expectOrder(text, [line]);
});

test('Nepali and English number words', async () => {
  await expectOrder('ek bora chamal', ['RICE-MANSULI 1 bag']);
  await expectOrder('dui carton wai wai', ['NDL-WAIWAI 2 carton']);
  await expectOrder('दुई बोरा चामल', ['RICE-MANSULI 2 bag']);
  await expectOrder('two bags sugar', ['SUGAR 2 bag']);
  await expectOrder('ghee aadha litre', ['GHEE 0.5 litre']);
  await expectOrder('tin bora chiura', ['CHIURA 3 bag']);
});

test('greetings and filler lines are ignored, not reported as unparsed', async () => {
  const result = await parser.parse('Hi, please send:\n1. chamal 2 bora\nnamaste dai\nthank you');
  assert.equal(placed(result), ['RICE-MANSULI 2 bag']);
  assert.equal(result.unparsed, []);
});

test('a line that is content but not an item is returned in unparsed', async () => {
  const result = await parser.parse('chamal 2 bora\nshop ma aaunu parchha kal');
  assert.equal(placed(result), ['RICE-MANSULI 2 bag']);
  assert.equal(result.unparsed, ['shop ma aaunu parchha kal']);
});

test('a line keeps the raw text and the product words as mention', async () => {
  const [line] = (await parser.parse('1. Wai Wai 5 carton')).lines;
  assert.ok(line);
  assert.is(line.raw, 'Wai Wai 5 carton');
  assert.is(line.mention, 'wai wai');
  assert.is(line.confidence, 1);
  assert.is(line.suggestions[0]?.sku, 'NDL-WAIWAI');
});

test('parse and parseSync agree', async () => {
  const text = 'chamal 2 bora, tel 5 litre';
  assert.equal(await parser.parse(text), parser.parseSync(text));
});

test('updateProduct: a renamed alias is understood at once, a deactivated product no more', () => {
  const own = new LocalOrderTextParser(catalog);
  const sugar = catalog.find((p) => p.sku === 'SUGAR');
  const atta = catalog.find((p) => p.sku === 'ATTA');
  if (!sugar || !atta) throw new Error('SUGAR or ATTA missing');
  assert.ok(own.parseSync('mithas 2 kg').lines[0]?.needsClarification);
  own.updateProduct({ ...sugar, aliases: [...sugar.aliases, { text: 'mithas', language: 'ne-Latn' }] });
  assert.equal(placed(own.parseSync('mithas 2 kg')), ['SUGAR 2 kg']);
  own.updateProduct({ ...sugar, active: false });
  assert.equal(placed(own.parseSync('chini 1 bora')), []);
  own.removeProduct(atta.id);
  assert.equal(placed(own.parseSync('atta 1 bora')), []);
});

test.run();
