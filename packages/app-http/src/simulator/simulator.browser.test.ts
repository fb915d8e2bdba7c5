// The simulator in a real headless Chromium (Debian's package, driven by puppeteer-core), on
// the app's own webhook as `npm start` runs it: the shop types "chamal 2 bora, tel 1 peti,
// noodle 1 peti", picks the noodles from the list, confirms; the vendor accepts and dispatches; the shop sees its code.
// Screenshots: packages/app-http/test-output/simulator-*.png. (Signature and parsing of what
// the page sends are covered in simulator.test.ts.)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OrderId, REPOSITORY_TOKENS } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type ChatBubble,
  INSECURE_HOST,
  SimulatorPage,
  type SimulatorApp,
  startSimulatorApp,
} from '../testing/simulator-harness.js';

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
  try {
    app = await startSimulatorApp({ webhook: 'app' });
    page = await SimulatorPage.open(app.url);
  } catch (error) {
    // uvu reports a failed hook as "(0 / N)" and nothing else: say why.
    console.error('the simulator app or its browser did not start:', error);
    throw error;
  }
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
  // The bubble as the shop sees it once the send has its answer: a poll may draw it first
  // ("…"), and it is redrawn by seq when the answer comes.
  const typed = await page.waitForMessage(
    'shop',
    (m) => m.direction === 'in' && m.text === 'chamal 2 bora, tel 1 peti, noodle 1 peti' && !m.meta.endsWith('…'),
    WAIT,
  );
  assert.is(typed.webhook, '200', "the app's own webhook took the signed delivery");
  assert.match(typed.meta, /webhook 200 ✓$/);
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
  // Opened, the list's bubble is in the chat's view, rows and time (the chat scrolls; the phone keeps its size).
  const listOpen = async () => {
    const lists = await page.page.$$(`${SHOP_PHONE} [data-testid="message-out"]:has([data-testid="list-open"])`);
    await (await lists.at(-1)?.$('[data-testid="list-open"]'))?.click();
  };
  await listOpen();
  const opened = await chatLayout('shop');
  assert.ok(opened.list !== null, 'an open list');
  assert.ok(
    opened.list.top >= opened.chat.top - 1 && opened.list.bottom <= opened.chat.bottom + 1,
    `the list's bubble ${JSON.stringify(opened.list)} shows in the chat ${JSON.stringify(opened.chat)}`,
  );
  assert.is(opened.phoneHeight, PHONE_HEIGHT, 'the phone keeps its height');
  assert.equal(opened.squeezed, [], 'no bubble squeezed shorter than its content');
  shots.push(await page.screenshot('simulator-1-shop-typed'));
  await listOpen(); // closed again: tapListRow opens it

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
  assert.is(await hintShown('vendor'), false, 'no delivery hint before dispatch');
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
  // Beside the vendor phone, once it offers [Delivered]: how the code works.
  await page.page.waitForSelector(`${VENDOR_PHONE} [data-testid="delivery-hint"]:not([hidden])`, { timeout: WAIT });
  assert.match(
    await page.page.$eval(`${VENDOR_PHONE} [data-testid="delivery-hint"]`, (e) => e.textContent ?? ''),
    /4-digit code[\s\S]*Delivered[\s\S]*types the code/,
  );
  assert.is(await hintShown('shop'), false, 'the shop phone has none');
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

const SHOP_PHONE = '[data-testid="phone-shop"]';
const VENDOR_PHONE = '[data-testid="phone-vendor"]';
/** simulator.css: .phone's height, its border included (box-sizing: border-box). */
const PHONE_HEIGHT = 720;

interface Box {
  readonly top: number;
  readonly bottom: number;
}
/** Where the chat, its open list's bubble and the phone are on screen, and any bubble drawn shorter than its content. */
function chatLayout(role: 'shop' | 'vendor') {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.page.$eval(`[data-testid="phone-${role}"]`, (phone) => {
    // No DOM lib in this package's types: the shapes used.
    type El = {
      getBoundingClientRect(): { top: number; bottom: number; height: number };
      querySelector(s: string): El | null;
      querySelectorAll(s: string): ArrayLike<El>;
      scrollHeight: number;
      clientHeight: number;
      dataset: { seq?: string };
    };
    const p = phone as unknown as El;
    const chat = (p.querySelector('.chat') as El).getBoundingClientRect();
    const list = Array.from((p.querySelector('.chat') as El).querySelectorAll('.bubble:has(.rows.open)'))
      .at(-1)
      ?.getBoundingClientRect();
    return {
      chat: { top: chat.top, bottom: chat.bottom } as Box,
      list: list ? ({ top: list.top, bottom: list.bottom } as Box) : null,
      phoneHeight: Math.round(p.getBoundingClientRect().height),
      squeezed: Array.from(p.querySelectorAll('.chat .bubble'))
        .filter((b) => b.scrollHeight > b.clientHeight + 1)
        .map((b) => b.dataset.seq ?? '?'),
    };
  });
}

function hintShown(role: 'shop' | 'vendor'): Promise<boolean> {
  return page.page.evaluate((sel: string) => {
    const hint = (
      globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } }
    ).document.querySelector(sel);
    return hint !== null && !hint.hidden;
  }, `[data-testid="phone-${role}"] [data-testid="delivery-hint"]`);
}

const VOICE = '[data-testid="phone-shop"] [data-testid="voice"]';
const voiceInfo = () => page.page.$eval(`${VOICE} [data-testid="voice-info"]`, (e) => e.textContent ?? '');

test('a voice note from a file with a SIMULATED transcript typed: the shop sees the draft of what was heard', async () => {
  const p = page.page;
  await p.click(`${VOICE} summary`);
  const label = await p.$eval(`${VOICE} [data-testid="voice-transcript-label"]`, (l) => ({
    hidden: (l as unknown as { hidden: boolean }).hidden,
    text: l.textContent ?? '',
  }));
  assert.is(label.hidden, false, 'no speech-to-text here: the transcript box is shown');
  assert.match(label.text, /SIMULATED/);
  // An Ogg page header and random bytes: fresh bytes each run (the simulated speech-to-text
  // finds the typed transcript by the audio's digest).
  const dir = await mkdtemp(join(tmpdir(), 'khaacho-voice-'));
  const file = join(dir, 'note.ogg');
  await writeFile(file, Buffer.concat([Buffer.from('OggS\0\x02'), randomBytes(3_000)]));
  try {
    const [chooser] = await Promise.all([p.waitForFileChooser(), p.click(`${VOICE} [data-testid="voice-file"]`)]);
    await chooser.accept([file]);
    await p.waitForFunction(
      (sel: string) =>
        !(
          globalThis as unknown as { document: { querySelector(s: string): { disabled: boolean } } }
        ).document.querySelector(sel).disabled,
      { timeout: WAIT },
      `${VOICE} [data-testid="voice-send"]`,
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  assert.match(await voiceInfo(), /^note\.ogg: 3 KiB audio\/ogg\./);
  await p.type(`${VOICE} [data-testid="voice-transcript"]`, 'chamal 2 bora');
  await p.click(`${VOICE} [data-testid="voice-send"]`);
  const sent = await page
    .waitForMessage(
      'shop',
      (m) => m.direction === 'in' && m.text.includes('simulated transcript: "chamal 2 bora"') && !m.meta.endsWith('…'),
      WAIT,
    )
    .catch(async (error: Error) => {
      shots.push(await page.screenshot('simulator-6-voice-failed'));
      const status = await p.$eval('[data-testid="phone-shop"] [data-testid="phone-status"]', (e) => e.textContent);
      throw new Error(`the phone says "${status}", the panel "${await voiceInfo()}": ${error.message}`);
    });
  // The page reads the file when it sends: only now may it go.
  await rm(dir, { recursive: true, force: true });
  assert.match(sent.text, /^🎤 voice note/);
  assert.match(sent.meta, /webhook 200 ✓$/);
  // The 🎤 drawn from an emoji font (none installed: a box; `.ci/run` installs
  // fonts-noto-color-emoji when `fc-list :lang=und-zsye` finds none).
  const micFonts = await platformFonts(`[data-testid="phone-shop"] [data-testid="message-in"] > span:first-child`);
  assert.ok(
    micFonts.some((f) => /Emoji/i.test(f.familyName)),
    `the voice note bubble's fonts: ${JSON.stringify(micFonts)}`,
  );
  const draft = await page.waitForMessage(
    'shop',
    out((m) => /^(Hamile suneko|Heard): "chamal 2 bora"/.test(m.text)),
    WAIT,
  );
  assert.match(draft.text, /Mansuli Rice: 2 bag/);
  assert.equal(draft.actions, ['Pakka garnus', 'Sachyaunus', 'Radda garnus']);
  assert.is(
    await p.$eval(`${VOICE} [data-testid="voice-transcript"]`, (i) => (i as unknown as { value: string }).value),
    '',
  );
  shots.push(await page.screenshot('simulator-6-voice'));
  // Leaves no open draft behind.
  await page.tapButton('shop', 'Radda garnus');
});

test('recording with no usable microphone fails clearly, and points to the file', async () => {
  const p = page.page;
  const record = `${VOICE} [data-testid="voice-record"]`;
  // Headless Chromium here has no microphone (or refuses it): whichever, the page says so.
  await p.click(record);
  await p.waitForFunction(
    (sel: string) =>
      /^cannot record here: /.test(
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }
        ).document.querySelector(sel).textContent,
      ),
    { timeout: WAIT },
    `${VOICE} [data-testid="voice-info"]`,
  );
  assert.match(await voiceInfo(), /^cannot record here: .+ Choose an audio file instead\.$/);
  assert.not.match(await voiceInfo(), /undefined|TypeError/);
  assert.is(await p.$eval(record, (b) => b.textContent), '● Record');

  // Plain http on a name that is not localhost: no navigator.mediaDevices at all.
  const insecure = await page.browser.newPage();
  try {
    await insecure.goto(`${app.url.replace('127.0.0.1', INSECURE_HOST)}/simulator`, { waitUntil: 'load' });
    await insecure.waitForSelector('body[data-ready="true"]', { timeout: WAIT });
    assert.is(await insecure.evaluate('window.isSecureContext'), false);
    assert.is(await insecure.evaluate('typeof navigator.mediaDevices'), 'undefined');
    await insecure.click(`${VOICE} summary`);
    await insecure.click(record);
    const info = await insecure.$eval(`${VOICE} [data-testid="voice-info"]`, (e) => e.textContent ?? '');
    assert.is(
      info,
      'cannot record here: the browser allows the microphone only on https or localhost. Choose an audio file instead.',
    );
  } finally {
    await insecure.close();
  }
});

test('Devanagari: the shop asks its balance as "बाँकी" and is answered in Devanagari, drawn in a font that has the glyphs (not boxes)', async () => {
  await page.typeAsShop('बाँकी');
  const answer = await page.waitForMessage(
    'shop',
    out((m) => /^बाँकी क्रेडिट NPR [\d,.]+ \(सीमा NPR [\d,.]+\)।/.test(m.text)),
    WAIT,
  );
  assert.match(answer.text, /तिर्न बाँकी NPR/);
  shots.push(await page.screenshot('simulator-7-devanagari'));
  // With no Devanagari font installed the glyphs come from a font without them, as boxes.
  const fonts = await platformFonts(`${SHOP_PHONE} [data-testid="message-out"] > span:first-child`);
  assert.ok(
    fonts.some((f) => /Devanagari|Lohit|Annapurna|Gargi|Nakula|Sahadeva|Samyak|Kalimati/i.test(f.familyName)),
    `the answer's fonts: ${JSON.stringify(fonts)}`,
  );
});

/** The fonts Chromium drew the last element matching `selector` with (DevTools' CSS.getPlatformFontsForNode). */
async function platformFonts(selector: string): Promise<{ familyName: string }[]> {
  const cdp = await page.page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds.at(-1) as number });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

test.run();
