// The demo data as a newcomer meets it (issue 13): on `npm start`'s embedded PGlite, the demo
// shop's first chat order finds its rice and oil, and the demo's stock survives restarts
// without undoing what a vendor changed since.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition } from '@khaacho/app-worker/composition';
import {
  AUTH_USE_CASES,
  Money,
  PhoneNumber,
  type Product,
  REPOSITORY_TOKENS,
  type Vendor,
  type VendorOffer,
  USE_CASE_TOKENS,
} from '@khaacho/core';
import { NEPALI_CATALOG } from '@khaacho/core/corpus';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeHttp } from './compose-http.js';
import { appConfigFromEnv } from './config/http-config.js';
import { totpCode } from './auth/totp.js';
import { DEMO_STOCK, loadDemoData, loadDemoLogins } from './demo-data.js';
import { ChatDriver, type Received } from './testing/chat-driver.js';
import { startSimulatorApp } from './testing/simulator-harness.js';

const SHOP = '9779809999999';

test('a newcomer orders "chamal 2 bora, tel 1 peti" by chat on fresh demo data: the draft prices the rice and the oil', async () => {
  const app = await startSimulatorApp({ webhook: 'app' });
  const chat = new ChatDriver(app, { [SHOP]: 'Demo Kirana Pasal' });
  try {
    chat.skipHistory(SHOP);
    await chat.send(SHOP, { text: 'chamal 2 bora, tel 1 peti' });
    // Whatever the chat asks, the newcomer picks the everyday row; a draft with an open
    // question ("? ...") is followed by that question's list.
    let draft: Received | undefined;
    for (let turn = 0; turn < 6 && !draft; turn++) {
      const m = await chat.one(SHOP, 90_000);
      if (m.kind === 'list') {
        const row = m.actions.find((a) => a.title === 'Mansuli Rice' || a.title === 'Mustard Oil');
        assert.ok(row, `the list offers an everyday row: ${JSON.stringify(m)}`);
        await chat.tap(SHOP, m, row.title);
      } else if (!/^\? /m.test(m.text)) draft = m;
    }
    assert.ok(draft, 'a draft with no open question came');
    assert.is(draft.kind, 'buttons');
    assert.match(draft.text, /Mansuli Rice: 2 bag × NPR [\d,]+\.\d\d = NPR/);
    assert.match(draft.text, /Mustard Oil[^:]*: 1 carton × NPR [\d,]+\.\d\d = NPR/);
    assert.not.match(draft.text, /Jamma NPR 0\.00/);
    assert.equal(
      draft.actions.map((a) => a.title),
      ['Pakka garnus', 'Sachyaunus', 'Radda garnus'],
    );
  } finally {
    console.log(`transcript: ${await chat.saveTranscript('demo-data-newcomer')}`);
    await app.close();
  }
});

test('right after a first start, the printed ADMIN and OPERATOR logins work with the code their app shows now; that code then counts once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'khaacho-demo-totp-'));
  const composition = await openDemo(dir);
  try {
    // The code of the step the loading ended in: the one a person reads off the app at once.
    const now = new Date();
    const logins = (await loadDemoLogins(composition, dir)).filter((l) => l.totpSecret !== null);
    assert.equal(logins.map((l) => l.role).sort(), ['ADMIN', 'OPERATOR']);
    const auth = composition.get(AUTH_USE_CASES);
    for (const login of logins) {
      const totp = totpCode(login.totpSecret as string, now);
      const command = { identifier: login.identifier, password: login.password, totpCode: totp };
      const first = await auth.login.execute(command);
      assert.ok(first.ok, `${login.role}: ${JSON.stringify(first.ok ? null : first.error)}`);
      const replayed = await auth.login.execute(command);
      assert.not.ok(replayed.ok, `${login.role}: the same code again is a replay`);
    }
  } finally {
    await composition.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** `npm start`'s composition on a data dir of its own (embedded PGlite), demo data loaded. */
async function openDemo(dataDir: string, beforeLogins?: (c: Composition) => Promise<void>): Promise<Composition> {
  const config = appConfigFromEnv({ KHAACHO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const { composition } = await composeHttp(config);
  try {
    await composition.ready();
    await loadDemoData(composition);
    await beforeLogins?.(composition);
    await loadDemoLogins(composition, dataDir);
    return composition;
  } catch (error) {
    await composition.close();
    throw error;
  }
}

const DEMO_AREA = async (c: Composition) => {
  const shop = await c.get(REPOSITORY_TOKENS.retailers).getByPhone(PhoneNumber.parse('9809999999'));
  if (!shop) throw new Error('no demo shop');
  return shop.area;
};

async function vendorsServing(c: Composition, area: string): Promise<Vendor[]> {
  const found: Vendor[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.get(REPOSITORY_TOKENS.vendors).list({ limit: 100, cursor });
    found.push(...page.items.filter((v) => v.status === 'ACTIVE' && v.serviceAreas.includes(area)));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** Every offer of the vendors serving `area`, keyed `vendor/sku`, as stored. */
async function offersIn(c: Composition, area: string): Promise<Map<string, VendorOffer>> {
  const products = new Map((await c.get(REPOSITORY_TOKENS.products).listActive()).map((p) => [p.id, p]));
  const all = new Map<string, VendorOffer>();
  for (const v of await vendorsServing(c, area)) {
    for (const o of await c.get(REPOSITORY_TOKENS.offers).listByVendor(v.id)) {
      all.set(`${v.name}/${(products.get(o.productId) as Product).sku}`, o);
    }
  }
  return all;
}

const comparable = (offers: Map<string, VendorOffer>) =>
  [...offers].map(([k, o]) => ({ k, ...o, unitPrice: o.unitPrice.amount, updatedAt: o.updatedAt.toISOString() }));

test('every ACTIVE vendor of the demo shop area sells every everyday product, active, in stock, near its typical price; twice changes nothing; a restart keeps what the vendor changed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'khaacho-demo-stock-'));
  let composition: Composition | null = null;
  try {
    let seeded = new Map<string, VendorOffer>();
    let area = '';
    let lowered = '';
    composition = await openDemo(dir, async (c) => {
      // The area the demo shop will be in: the first ACTIVE vendor with offers serves it first.
      const vendors = await c.get(REPOSITORY_TOKENS.vendors).list({ limit: 100, cursor: null });
      const first = vendors.items.find((v) => v.status === 'ACTIVE' && v.serviceAreas.length > 0) as Vendor;
      area = first.serviceAreas[0] as string;
      seeded = await offersIn(c, area);
      // A seed offer can start inactive or sold out: one as the seed could have written it.
      const [key, offer] = [...seeded][0] as [string, VendorOffer];
      lowered = key;
      const asSeeded = { ...offer, active: false, stockOnHand: 0 };
      await c.get(REPOSITORY_TOKENS.offers).save(asSeeded);
      seeded.set(key, asSeeded);
    });
    assert.is(await DEMO_AREA(composition), area);
    const vendors = await vendorsServing(composition, area);
    assert.ok(vendors.length > 0, `some ACTIVE vendor serves ${area}`);
    const stocked = await offersIn(composition, area);
    for (const v of vendors) {
      for (const entry of NEPALI_CATALOG) {
        const key = `${v.name}/${entry.sku}`;
        const offer = stocked.get(key);
        assert.ok(offer, `${key} is offered`);
        assert.ok(offer.active, `${key} is active`);
        assert.ok(offer.stockOnHand >= DEMO_STOCK, `${key} has stock: ${offer.stockOnHand}`);
        const before = seeded.get(key);
        // The seed's own price (±15 % of typical) stays; a new offer is at the typical price.
        const price = before ? before.unitPrice : Money.of(entry.typicalPrice);
        assert.ok(offer.unitPrice.equals(price), `${key}: ${offer.unitPrice.format()} vs ${price.format()}`);
        assert.ok(Math.abs(offer.unitPrice.amount - entry.typicalPrice) <= entry.typicalPrice * 0.15 + 1, key);
        if (before?.active && before.stockOnHand >= DEMO_STOCK) {
          assert.equal(comparable(new Map([[key, offer]])), comparable(new Map([[key, before]])), `${key} untouched`);
        }
      }
    }
    assert.ok(seeded.get(lowered)?.active === false, 'the test lowered a seed offer');
    const raised = stocked.get(lowered) as VendorOffer;
    assert.ok(raised.active && raised.stockOnHand >= DEMO_STOCK, `${lowered} re-activated and re-stocked`);

    // Loading the demo data again changes nothing.
    await loadDemoData(composition);
    await loadDemoLogins(composition, dir);
    assert.equal(comparable(await offersIn(composition, area)), comparable(stocked));

    // The vendor changes a price, deactivates one product and sells another out.
    const vendor = vendors[0] as Vendor;
    const upsert = composition.get(USE_CASE_TOKENS.upsertVendorOffer);
    const actor = { type: 'vendor', id: vendor.id } as const;
    const edit = async (sku: string, change: Partial<VendorOffer>) => {
      const o = stocked.get(`${vendor.name}/${sku}`) as VendorOffer;
      const { vendorId, productId, unit, unitPrice, stockOnHand, minOrderQty, leadTimeHours, active } = {
        ...o,
        ...change,
      };
      const done = await upsert.execute({
        ...{ vendorId, productId, unit, unitPrice, stockOnHand, minOrderQty, leadTimeHours, active },
        actor,
      });
      if (!done.ok) throw new Error(JSON.stringify(done.error));
    };
    await edit('RICE-MANSULI', { unitPrice: Money.of(9_150) });
    await edit('OIL-SOYA', { active: false });
    await edit('SUGAR', { stockOnHand: 0 });
    const edited = await offersIn(composition, area);
    await composition.close();
    composition = null;

    // A restart on the same data keeps the vendor's own changes.
    composition = await openDemo(dir);
    const after = await offersIn(composition, area);
    assert.equal(comparable(after), comparable(edited));
    const rice = after.get(`${vendor.name}/RICE-MANSULI`) as VendorOffer;
    assert.is(rice.unitPrice.format(), 'NPR 91.50');
    assert.is(after.get(`${vendor.name}/OIL-SOYA`)?.active, false);
    assert.is(after.get(`${vendor.name}/SUGAR`)?.stockOnHand, 0);
  } finally {
    await composition?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
