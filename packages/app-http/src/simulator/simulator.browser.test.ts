// The simulator in a real headless Chromium (Debian's package, driven by puppeteer-core):
// the app as `npm start` runs it, the page, a shop typing, Khaacho's own sender replying with
// buttons and a list through the Graph stub, and the taps going back as signed deliveries.
// Screenshots: packages/app-http/test-output/simulator-*.png.
import { parseDelivery, verifySignature } from '@khaacho/adapters-whatsapp';
import { MESSAGE_SENDER, PhoneNumber } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimulatorPage, type SimulatorApp, startSimulatorApp } from '../testing/simulator-harness.js';

let app: SimulatorApp;
let page: SimulatorPage;

test.before(async () => {
  app = await startSimulatorApp({ webhook: 'witness' });
  page = await SimulatorPage.open(app.url);
});
test.after(async () => {
  await page?.close();
  await app?.close();
});

/** The one message of the n-th delivery, checked against the simulator's app secret. */
function delivered(n: number) {
  const d = app.deliveries[n];
  if (!d) throw new Error(`no delivery #${n}; got ${app.deliveries.length}`);
  assert.ok(verifySignature(d.body, d.signature, app.simulator.secrets.appSecret), 'signed with the app secret');
  const { events } = parseDelivery(JSON.parse(d.body.toString('utf8')));
  const event = events[0];
  if (events.length !== 1 || event?.kind !== 'message') throw new Error('expected one message');
  return event;
}

test('the shop types an order: a signed delivery reaches the webhook and the phone shows it accepted', async () => {
  const shop = await page.parties('shop');
  assert.match(shop.options[0] ?? '', /^Demo Kirana Pasal \(\+9779809999999\)$/, 'the demo shop is picked first');
  assert.is(shop.selected, '9779809999999');
  const vendor = await page.parties('vendor');
  assert.ok(vendor.options.length >= 1);
  assert.is.not(vendor.selected, shop.selected);

  await page.typeAsShop('chamal 2 bora, tel 1 peti 🙏');
  const bubble = await page.waitForMessage('shop', (m) => m.direction === 'in' && m.webhook !== '');
  assert.is(bubble.text, 'chamal 2 bora, tel 1 peti 🙏');
  assert.is(bubble.webhook, '200');
  const message = delivered(0);
  assert.equal(message.content, { type: 'text', text: 'chamal 2 bora, tel 1 peti 🙏' });
  assert.is(message.from, '9779809999999');
  assert.is(message.profileName, 'Demo Kirana Pasal');
  assert.is(message.businessNumberId, app.simulator.secrets.phoneNumberId);
  await page.screenshot('simulator-1-shop-typed');
});

test("Khaacho's sender (WhatsApp, pointed at the stub) shows buttons and lists; taps go back as replies", async () => {
  const sender = app.composition.get(MESSAGE_SENDER);
  const shop = PhoneNumber.parse('+9779809999999');
  const sent = await sender.send({
    kind: 'buttons',
    to: shop,
    body: 'चामल 2 bora: NPR 4,300\nTotal NPR 4,300',
    buttons: [
      { id: 'draft:confirm:d-1', title: 'Confirm' },
      { id: 'draft:edit:d-1', title: 'Edit' },
      { id: 'draft:cancel:d-1', title: 'Cancel' },
    ],
  });
  const draft = await page.waitForMessage('shop', (m) => m.direction === 'out' && m.actions.includes('Confirm'));
  assert.equal(draft.actions, ['Confirm', 'Edit', 'Cancel']);
  assert.match(draft.text, /चामल 2 bora/);
  await page.tapButton('shop', 'Confirm');
  await page.waitForMessage('shop', (m) => m.direction === 'in' && m.text === '▸ Confirm' && m.webhook === '200');
  const confirm = delivered(1);
  assert.equal(confirm.content, { type: 'button_reply', id: 'draft:confirm:d-1', title: 'Confirm' });
  assert.equal(confirm.context, {
    kind: 'reply',
    from: app.simulator.secrets.displayPhoneNumber,
    messageId: sent.providerMessageId,
  });

  await sender.send({
    kind: 'list',
    to: shop,
    body: 'Which tel?',
    button: 'Choose',
    sections: [
      {
        title: 'tel 1 peti',
        rows: [
          { id: 'choice:d-1:1:p-dhara', title: 'Dhara 1L', description: 'NPR 2,950 / peti' },
          { id: 'choice:d-1:1:p-fortune', title: 'Fortune 1L' },
        ],
      },
    ],
  });
  await page.waitForMessage('shop', (m) => m.direction === 'out' && m.actions.includes('Dhara 1L'));
  await page.screenshot('simulator-2-buttons-and-list');
  await page.tapListRow('shop', 'Dhara 1L');
  await page.waitForMessage('shop', (m) => m.direction === 'in' && m.text === '▸ Dhara 1L' && m.webhook === '200');
  assert.equal(delivered(2).content, {
    type: 'list_reply',
    id: 'choice:d-1:1:p-dhara',
    title: 'Dhara 1L',
    description: 'NPR 2,950 / peti',
  });

  await sender.send({
    kind: 'template',
    to: shop,
    template: 'payment_reminder',
    language: 'en',
    parameters: ['NPR 4,300'],
  });
  const template = await page.waitForMessage('shop', (m) => m.direction === 'out' && m.text.startsWith('template '));
  assert.is(template.text, 'template payment_reminder (en)');
  // Nothing reached the vendor's phone: every message went to its own recipient.
  assert.equal(
    (await page.messages('vendor')).map((m) => m.text),
    [],
  );
  await page.screenshot('simulator-3-replies');
});

test.run();
