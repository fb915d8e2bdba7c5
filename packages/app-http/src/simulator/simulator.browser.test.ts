// The simulator in a real headless Chromium (Debian's package, driven by puppeteer-core), on
// the app's own webhook as `npm start` runs it: the shop types "chamal 2 bora, tel 1 peti,
// noodle 1 peti", picks the noodles from the list, confirms; the vendor accepts and dispatches; the shop sees its code.
// Screenshots: packages/app-http/test-output/simulator-*.png. (Signature and parsing of what
// the page sends are covered in simulator.test.ts.)
import { type OrderId, REPOSITORY_TOKENS } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChatBubble, SimulatorPage, type SimulatorApp, startSimulatorApp } from '../testing/simulator-harness.js';

const SHOP = '9779809999999';
/** As in conversation.e2e.test.ts: the [Delivered] + code step. */
const DELIVERY_CODE = true;

/**
 * Bounded waits, generous: the embedded PGlite app also runs the demo data's recovery sweep
 * (re-routing its idle orders) while the test chats, on a shared CI machine.
 */
const WAIT = 90_000;

let app: SimulatorApp;
let page: SimulatorPage;
const shots: string[] = [];

test.before(async () => {
  app = await startSimulatorApp({ webhook: 'app' });
  page = await SimulatorPage.open(app.url);
});
test.after(async () => {
  console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  await page?.close();
  await app?.close();
});

const out = (accept: (m: ChatBubble) => boolean) => (m: ChatBubble) => m.direction === 'out' && accept(m);
let orderId = '';
let orderNumber = '';

test('the shop orders "chamal 2 bora, tel 1 peti, noodle 1 peti" by chat: the draft, the list, the pick, Confirm, the order placed', async () => {
  const shop = await page.parties('shop');
  assert.is(shop.selected, SHOP, 'the demo shop is picked first');
  await page.typeAsShop('chamal 2 bora, tel 1 peti, noodle 1 peti');
  const typed = await page.waitForMessage('shop', (m) => m.direction === 'in' && m.webhook !== '', WAIT);
  assert.is(typed.webhook, '200', "the app's own webhook took the signed delivery");
  // The demo vendor of the shop's area sells rice and oil (issue 13): the draft prices the
  // everyday Mansuli rice and the catalog's default oil at once, and asks which noodles.
  const first = await page.waitForMessage(
    'shop',
    out((m) => /Mansuli Rice/.test(m.text) && /Mustard Oil/.test(m.text)),
    WAIT,
  );
  assert.match(first.text, /1\. Mansuli Rice: 2 bag × NPR 2,004\.00 = NPR 4,008\.00/);
  assert.match(first.text, /2\. Mustard Oil \(hamro sadhai ko\): 1 carton × NPR 3,600\.00 = NPR 3,600\.00/);
  assert.match(first.text, /\? "noodle 1 peti": list bata channus/);
  const noodleList = await page.waitForMessage(
    'shop',
    out((m) => m.actions.includes('Rara Noodles')),
    WAIT,
  );
  assert.match(noodleList.text, /"noodle 1 peti" bhaneko kun ho\?/);
  shots.push(await page.screenshot('simulator-1-shop-typed'));

  await page.tapListRow('shop', 'Rara Noodles');
  const draft = await page.waitForMessage(
    'shop',
    out((m) => /Rara Noodles: 1 carton/.test(m.text)),
    WAIT,
  );
  assert.equal(draft.actions, ['Pakka garnus', 'Sachyaunus', 'Radda garnus']);
  assert.match(draft.text, /Mansuli Rice: 2 bag/);
  assert.match(draft.text, /Mustard Oil \(hamro sadhai ko\): 1 carton/);
  assert.match(draft.text, /Jamma NPR 8,208\.00/);
  shots.push(await page.screenshot('simulator-2-draft'));

  await page.tapButton('shop', 'Pakka garnus');
  const placed = await page.waitForMessage(
    'shop',
    out((m) => /rakhiyo/.test(m.text)),
    WAIT,
  );
  orderNumber = (placed.text.match(/KH-\d{6}/) as RegExpMatchArray)[0];
  const order = await app.composition.get(REPOSITORY_TOKENS.orders).getByNumber(orderNumber);
  assert.ok(order);
  orderId = order.id;
  assert.is(order.total.format(), 'NPR 8,208.00');
  // One question, one list: the rice and the oil needed none.
  const lists = (await page.messages('shop')).filter((m) => m.direction === 'out' && /bhaneko kun ho/.test(m.text));
  assert.equal(
    lists.map((m) => m.text),
    ['"noodle 1 peti" bhaneko kun ho?'],
  );
});

test('the vendor accepts and dispatches; the shop is told at each step and gets its delivery code', async () => {
  // The phone the offer went to, picked in the vendor's dropdown.
  const offered = app.simulator.log.lastSeq;
  const until = Date.now() + WAIT;
  let vendor: string | undefined;
  while (!vendor && Date.now() < until) {
    const parties = await page.parties('vendor');
    for (const option of parties.options) {
      const phone = option.match(/\(\+(\d+)\)$/)?.[1];
      if (!phone) continue;
      const got = app.simulator.log.after(phone, 0, 500);
      if (got.some((e) => JSON.stringify(e.payload).includes(`offer:accept:${orderId}`))) vendor = phone;
    }
    if (!vendor) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(vendor, `a vendor was offered ${orderNumber} (log at ${offered})`);
  await page.page.select('[data-testid="phone-vendor"] select', vendor);
  const offer = await page.waitForMessage(
    'vendor',
    out((m) => m.text.includes(`New order ${orderNumber}`)),
    WAIT,
  );
  assert.equal(offer.actions, ['Accept', 'Reject']);
  await page.tapButton('vendor', 'Accept');
  await page.waitForMessage(
    'vendor',
    out((m) => m.text.includes(`You accepted order ${orderNumber}`)),
    WAIT,
  );
  await page.waitForMessage(
    'shop',
    // The shop wrote romanised Nepali: its notices come in it.
    out((m) => m.text.includes(`Order ${orderNumber} supplier le pakka garyo`)),
    WAIT,
  );
  shots.push(await page.screenshot('simulator-3-accepted'));

  await page.tapButton('vendor', 'Dispatched');
  await page.waitForMessage(
    'vendor',
    out((m) => m.text.includes(`Order ${orderNumber} is dispatched`)),
    WAIT,
  );
  const notice = await page.waitForMessage(
    'shop',
    out((m) => m.text.includes(`Order ${orderNumber} bato ma cha`)),
    WAIT,
  );
  assert.match(notice.text, /delivery code \d{4}/);
  const order = await app.composition.get(REPOSITORY_TOKENS.orders).get(orderId as OrderId);
  assert.is(order?.status, 'DISPATCHED');
  shots.push(await page.screenshot('simulator-4-dispatched'));
});

if (DELIVERY_CODE) {
  test('the vendor taps Delivered, types the code; delivered, and the invoice is in the ledger', async () => {
    const notice = await page.waitForMessage(
      'shop',
      out((m) => m.text.includes(`Order ${orderNumber} bato ma cha`)),
      WAIT,
    );
    const code = (notice.text.match(/\b\d{4}\b/) as RegExpMatchArray)[0];
    await page.tapButton('vendor', 'Delivered');
    await page.waitForMessage(
      'vendor',
      out((m) => /code/i.test(m.text) && !m.text.includes('dispatched')),
      WAIT,
    );
    await page.typeAsVendor(code);
    await page.waitForMessage(
      'vendor',
      out((m) => m.text.includes(`Order ${orderNumber} is delivered`)),
      WAIT,
    );
    const order = await app.composition.get(REPOSITORY_TOKENS.orders).get(orderId as OrderId);
    assert.is(order?.status, 'DELIVERED');
    const entries = await app.composition.get(REPOSITORY_TOKENS.credit).listEntries(order?.retailerId as never, {});
    const invoices = entries.filter((e) => e.type === 'INVOICE' && e.orderId === orderId);
    assert.is(invoices.length, 1);
    assert.is(invoices[0]?.amount.format(), 'NPR 8,208.00');
    shots.push(await page.screenshot('simulator-5-delivered'));
  });
}

test.run();
