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
  unknown: ['ok', '👍', 'sorry wrong number', 'price list pathaunu', 'chamal ko rate kati ho?'],
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
