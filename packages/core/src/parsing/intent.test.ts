import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MessageIntent } from '../ports/order-text-parser.js';
import { nepaliCatalog } from '../corpus/nepali-catalog.js';
import { LocalOrderTextParser } from './local-order-text-parser.js';

const parser = new LocalOrderTextParser(nepaliCatalog());

const CASES: Record<Exclude<MessageIntent, 'order'>, string[]> = {
  status: [
    'status',
    'where is my order',
    'mero order kaha pugyo',
    'order kaile aaucha?',
    'मेरो अर्डर कहाँ पुग्यो?',
    'track my order',
  ],
  balance: ['balance', 'due', 'baki kati cha', 'kati tirnu parcha', 'बाँकी', 'udharo kati bhayo', 'statement please'],
  help: ['help', 'madat', 'सहयोग', 'मद्दत चाहियो', 'how do I order?', 'kasari order garne'],
  greeting: ['hi', 'namaste', 'नमस्ते', 'Namaste dai 🙏', 'good morning', 'thank you'],
  // "radda" alone is what the romanised help tells a shop to send.
  cancel: [
    'cancel my last order',
    'order cancel garnus',
    'अर्डर रद्द गर्नुहोस्',
    'aghi ko order cancel',
    'radda',
    'order radda',
  ],
  repeat: ['same as last week', 'pahile jastai', 'पहिले जस्तै पठाउनुस्', 'repeat my previous order', 'repeat'],
  unknown: [
    'ok',
    '👍',
    'sorry wrong number',
    'price list pathaunu',
    'chamal ko rate kati ho?',
    'xyz abc 123',
    '9841234567',
  ],
};

for (const [intent, texts] of Object.entries(CASES)) {
  test(`intent ${intent}`, async () => {
    for (const text of texts) {
      const result = await parser.parse(text);
      assert.is(result.intent, intent, text);
      assert.equal(result.lines, [], text);
    }
  });
}

test('an order number makes a status question and is returned normalised', async () => {
  for (const text of ['KH-000042', 'where is KH-000042?', 'kh42 ko status', 'KH 42 kaha pugyo']) {
    const result = await parser.parse(text);
    assert.is(result.intent, 'status', text);
    assert.is(result.orderNumber, 'KH-000042', text);
  }
});

test('delivery questions without the word "status" or "order"', async () => {
  for (const text of [
    'where is my delivery?',
    'mero saman kaha pugyo?',
    'सामान कहिले आउँछ?',
    'still waiting for my goods',
  ]) {
    assert.is((await parser.parse(text)).intent, 'status', text);
  }
});

test("another system's order reference is a reference, not a product or a quantity", async () => {
  const cases: [string, string][] = [
    ['#ORD12345 kaha pugyo?', 'ORD12345'],
    ['ORD-2024-0098 where is it', 'ORD-2024-0098'],
    ['order no 7781 aayena', '7781'],
    ['order 458812 status?', '458812'],
    ['#A-2291 ko ke bhayo', 'A-2291'],
  ];
  for (const [text, reference] of cases) {
    const result = await parser.parse(text);
    assert.is(result.intent, 'status', text);
    assert.is(result.orderNumber, reference, text);
    assert.equal(result.lines, [], text);
  }
  // Four digits or more after "order", so a plain quantity after it stays an order.
  assert.is((await parser.parse('order 5 bora chamal')).intent, 'order');
});

test('cancel carries the order it names', async () => {
  const result = await parser.parse('cancel KH-000123');
  assert.is(result.intent, 'cancel');
  assert.is(result.orderNumber, 'KH-000123');
});

test('a number with no product-like word is no order; with a unit it is asked about', async () => {
  assert.is((await parser.parse('asdf 45')).intent, 'unknown');
  const kurkure = await parser.parse('kurkure 5 carton');
  assert.is(kurkure.intent, 'order');
  assert.is(kurkure.lines[0]?.clarification, 'UNKNOWN_PRODUCT');
});

test('orderNumber is null for other intents', async () => {
  assert.is((await parser.parse('chamal 2 bora')).orderNumber, null);
  assert.is((await parser.parse('balance')).orderNumber, null);
});

test('items win over greetings and side remarks', async () => {
  for (const text of [
    'namaste dai, chamal 2 bora',
    'baki pachi tirchu, aile chini 1 bora pathaunu',
    'wai wai 5 carton, status pani bhannu',
  ]) {
    assert.is((await parser.parse(text)).intent, 'order', text);
  }
});

test('a status question with a number that is no item stays a status question', async () => {
  assert.is((await parser.parse('3 din bhayo order gareko, kaha pugyo?')).intent, 'status');
});

test('unknown keeps what it could not read in unparsed; other questions do not', async () => {
  assert.equal((await parser.parse('kal bhetaula')).unparsed, ['kal bhetaula']);
  assert.equal((await parser.parse('where is my order')).unparsed, []);
});

test('an empty message is unknown', async () => {
  const result = await parser.parse('   ');
  assert.is(result.intent, 'unknown');
  assert.equal(result.lines, []);
});

test.run();
