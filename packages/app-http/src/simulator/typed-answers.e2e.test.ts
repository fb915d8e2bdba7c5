// Issue 13's rough edges end to end over real HTTP, on the in-memory store with the demo data:
// signed deliveries → the webhook → the inbox → ConversationService → the Graph stub.
// - the choices of "noodle 1 peti" are only products sold in the shop's area;
// - a vendor answers an offer by typing "ok" / "sweekar" instead of tapping Accept;
// - a shop's "aayena" with two orders on the way asks which; one named is taken at once.
// Transcript: packages/app-http/test-output/typed-answers.txt (gitignored).
import { type Order, PhoneNumber, REPLY_TEXTS, REPOSITORY_TOKENS } from '@khaacho/core';
import { NEPALI_CATALOG } from '@khaacho/core/corpus';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatDriver, type Received } from '../testing/chat-driver.js';
import { type SimulatorApp, startSimulatorApp } from '../testing/simulator-harness.js';

const SHOP = '9779809999999';
const ORDER_NUMBER = /KH-\d{6}/;

let app: SimulatorApp;
let chat: ChatDriver;
let vendorPhones: string[] = [];
let shopPhones: string[] = [];
test.before(async () => {
  app = await startSimulatorApp({ webhook: 'app', store: 'memory' });
  const parties = (await (await fetch(`${app.url}/simulator/api/parties`)).json()) as {
    shops: { id: string; name: string; phone: string }[];
    vendors: { id: string; name: string; phone: string }[];
  };
  vendorPhones = parties.vendors.map((v) => v.phone);
  shopPhones = parties.shops.map((s) => s.phone);
  chat = new ChatDriver(app, Object.fromEntries([...parties.shops, ...parties.vendors].map((p) => [p.phone, p.name])));
  // Demo data offers old orders to vendors: only what these conversations cause counts.
  chat.skipHistory(SHOP, ...vendorPhones);
});
test.after(async () => {
  console.log(`transcript: ${await chat.saveTranscript('typed-answers')}`);
  await app.close();
});

const orders = () => app.composition.get(REPOSITORY_TOKENS.orders);

/** The shop orders `text` (one line, priced at once) and confirms: the order placed. */
async function place(text: string): Promise<Order> {
  await chat.send(SHOP, { text });
  const draft = await chat.one(SHOP);
  await chat.tap(SHOP, draft, 'draft:confirm:');
  const placed = await chat.one(SHOP);
  const number = placed.text.match(ORDER_NUMBER)?.[0] ?? '';
  const order = await orders().getByNumber(number);
  if (!order) throw new Error(`not placed: ${placed.text}`);
  return order;
}

/** The vendor the order was offered to, with the offer message taken. */
async function offeredTo(order: Order): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const vendor = vendorPhones.find((v) =>
      chat.pending(v).some((m) => m.actions.some((a) => a.id.endsWith(order.id))),
    );
    if (vendor) {
      const offer = await chat.one(vendor);
      assert.match(offer.text, order.number);
      return vendor;
    }
    if (Date.now() > until) throw new Error(`${order.number} was offered to no vendor`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the choices of an unclear line ("noodle 1 peti") are only products sold in the shop\'s area; none: said so', async () => {
  // The demo shop's own area is stocked with everything; another demo shop's area is not.
  const noodles = await app.composition
    .get(REPOSITORY_TOKENS.products)
    .getManyBySku(NEPALI_CATALOG.filter((e) => /noodle/i.test(e.name)).map((e) => e.sku));
  const offers = await app.composition.get(REPOSITORY_TOKENS.offers).listActiveForProducts(noodles.map((p) => p.id));
  const soldIn = async (area: string): Promise<Set<string>> => {
    const serving = new Set(
      (await app.composition.get(REPOSITORY_TOKENS.vendors).listActiveServing(area)).map((v) => v.id as string),
    );
    return new Set(
      offers.filter((o) => o.stockOnHand > 0 && serving.has(o.vendorId)).map((o) => o.productId as string),
    );
  };
  let partly: { phone: string; sold: Set<string> } | null = null;
  let none: { phone: string; area: string } | null = null;
  for (const phone of shopPhones) {
    const shop = await app.composition.get(REPOSITORY_TOKENS.retailers).getByPhone(PhoneNumber.parse(`+${phone}`));
    if (shop?.status !== 'ACTIVE') continue;
    const sold = await soldIn(shop.area);
    if (sold.size === 0) none ??= { phone, area: shop.area };
    else if (sold.size < noodles.length) partly ??= { phone, sold };
  }
  if (!partly) return assert.unreachable('the demo data has no shop whose area sells only some of the noodles');
  chat.skipHistory(partly.phone);
  await chat.send(partly.phone, { text: 'noodle 1 peti' });
  const [question, list] = (await chat.next(partly.phone, 2)) as [Received, Received];
  assert.match(question.text, '"noodle 1 peti": list bata channus');
  assert.is(list.kind, 'list');
  assert.ok(list.actions.length > 0);
  for (const a of list.actions)
    assert.ok(partly.sold.has(a.id.split(':')[3] ?? ''), `"${a.title}" is a choice, but no vendor sells it there`);
  if (none) {
    chat.skipHistory(none.phone);
    await chat.send(none.phone, { text: 'noodle 1 peti' });
    const only = await chat.one(none.phone);
    assert.is(only.kind, 'text', `no list where nothing is sold (${none.area})`);
    assert.match(only.text, '"noodle 1 peti": tapaiko area ma ahile paidaina');
  }
});

test('a vendor types "ok" for the one offer waiting: accepted as by Accept; the shop is told; "sakdina" then: none waiting', async () => {
  chat.skipHistory(SHOP, ...vendorPhones);
  const rice = await place('chamal 2 bora');
  const vendor = await offeredTo(rice);
  await chat.send(vendor, { text: 'ok' });
  const accepted = await chat.one(vendor);
  assert.is(accepted.text, REPLY_TEXTS.en.vendorAccepted(rice.number));
  assert.equal(
    accepted.actions.map((a) => a.id),
    [`order:dispatched:${rice.id}`],
  );
  assert.match((await chat.one(SHOP)).text, rice.number);
  assert.is((await orders().get(rice.id))?.status, 'CONFIRMED');
  // Nothing waits for it now: "sakdina" is told so, and the accepted order stays accepted.
  await chat.send(vendor, { text: 'sakdina' });
  assert.is((await chat.one(vendor)).text, REPLY_TEXTS['ne-Latn'].vendorNoOpenOffer(null));
  assert.is((await orders().get(rice.id))?.status, 'CONFIRMED');
});

test('"aayena" with two orders on the way: a list to pick which; the pick, or a named one, goes to an operator', async () => {
  chat.skipHistory(SHOP, ...vendorPhones);
  const onTheWay: Order[] = [];
  for (const text of ['chamal 1 bora', 'tel 1 peti']) {
    const order = await place(text);
    const vendor = await offeredTo(order);
    await chat.send(vendor, { text: 'accept' });
    const accepted = await chat.one(vendor);
    await chat.tap(vendor, accepted, 'order:dispatched:');
    await chat.one(vendor);
    await chat.next(SHOP, 2); // accepted, then dispatched with the code
    onTheWay.push(order);
  }
  const [first, second] = onTheWay as [Order, Order];
  const dispatched = (await orders().list({ statuses: ['DISPATCHED'] }, { limit: 100 })).items.filter(
    (o) => o.retailerId === first.retailerId,
  );
  await chat.send(SHOP, { text: 'saman aayena' });
  const which = await chat.one(SHOP);
  assert.is(which.kind, 'list');
  assert.is(which.text, REPLY_TEXTS['ne-Latn'].whichNotReceived(dispatched.length));
  assert.equal(which.actions.map((a) => a.id).sort(), dispatched.map((o) => `delivery:not-received:${o.id}`).sort());
  const deliveries = app.composition.get(REPOSITORY_TOKENS.deliveries);
  assert.is((await deliveries.get(first.id))?.status, 'AWAITING_CODE', 'no dispute on a guess');
  assert.is((await deliveries.get(second.id))?.status, 'AWAITING_CODE');

  await chat.tap(SHOP, which, second.number);
  assert.is((await chat.one(SHOP)).text, REPLY_TEXTS['ne-Latn'].notReceivedNoted(second.number));
  assert.is((await deliveries.get(second.id))?.status, 'DISPUTED');
  assert.is((await deliveries.get(first.id))?.status, 'AWAITING_CODE');

  await chat.send(SHOP, { text: `${first.number} not received` });
  assert.is((await chat.one(SHOP)).text, REPLY_TEXTS.en.notReceivedNoted(first.number));
  assert.is((await deliveries.get(first.id))?.status, 'DISPUTED');
});

test.run();
