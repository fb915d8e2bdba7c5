import type { InboundEvent, InboundMessage } from '@khaacho/core';
import { advanceDeliveryStatus, type DeliveryStatus } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BUSINESS_NUMBER_ID,
  change,
  contact,
  delivery,
  inbound,
  type Json,
  message,
  SHOP_WA_ID,
  status,
  VENDOR_WA_ID,
} from '../testing/whatsapp-fixtures.js';
import { inboundEventOf, inboxRecordOf } from './inbox-codec.js';
import { parseDelivery } from './parse-delivery.js';

function only(json: Json): InboundMessage {
  const { events, skipped } = parseDelivery(json);
  assert.equal(skipped, []);
  assert.is(events.length, 1);
  const event = events[0] as InboundEvent;
  assert.is(event.kind, 'message');
  return event as InboundMessage;
}

test('text: ids and the timestamp from strings, the profile name from contacts[]', () => {
  const { delivery: d, message: m } = inbound('text', { body: 'chamal 2 bora, tel 1 peti' });
  const event = only(d);
  assert.equal(event, {
    kind: 'message',
    eventId: `wa:msg:${m.id}`,
    businessNumberId: BUSINESS_NUMBER_ID,
    messageId: m.id as string,
    from: SHOP_WA_ID,
    profileName: 'Ram Kirana',
    sentAt: new Date(Number(m.timestamp) * 1000),
    context: null,
    content: { type: 'text', text: 'chamal 2 bora, tel 1 peti' },
    errors: [],
  });
});

test('interactive button_reply and list_reply', () => {
  const button = only(
    inbound('interactive', { type: 'button_reply', button_reply: { id: 'order:confirm:d1', title: 'Confirm' } })
      .delivery,
  );
  assert.equal(button.content, { type: 'button_reply', id: 'order:confirm:d1', title: 'Confirm' });
  const row = only(
    inbound('interactive', {
      type: 'list_reply',
      list_reply: { id: 'pick:rice-mansuli-25', title: 'Mansuli 25 kg', description: 'Rs 2,150 / bora' },
    }).delivery,
  );
  assert.equal(row.content, {
    type: 'list_reply',
    id: 'pick:rice-mansuli-25',
    title: 'Mansuli 25 kg',
    description: 'Rs 2,150 / bora',
  });
});

test('a template quick-reply button, with the reply context of the template', () => {
  const event = only(
    inbound(
      'button',
      { payload: 'remind:pay:inv-7', text: 'Pay now' },
      { context: { from: '9779800000000', id: 'wamid.TEMPLATE1' } },
    ).delivery,
  );
  assert.equal(event.content, { type: 'template_button', payload: 'remind:pay:inv-7', text: 'Pay now' });
  assert.equal(event.context, { kind: 'reply', from: '9779800000000', messageId: 'wamid.TEMPLATE1' });
});

test('location: coordinates are numbers; name and address optional', () => {
  const event = only(
    inbound('location', { latitude: 27.7172, longitude: 85.324, name: 'Ason Tol', address: 'Kathmandu 44600' })
      .delivery,
  );
  assert.equal(event.content, {
    type: 'location',
    latitude: 27.7172,
    longitude: 85.324,
    name: 'Ason Tol',
    address: 'Kathmandu 44600',
  });
  const bare = only(inbound('location', { latitude: 26.4525, longitude: 87.2718 }).delivery);
  assert.equal(bare.content, { type: 'location', latitude: 26.4525, longitude: 87.2718, name: null, address: null });
  // A coordinate sent as a string is not the documented shape: skipped, not guessed.
  const wrong = parseDelivery(inbound('location', { latitude: '27.7', longitude: 85.3 }).delivery);
  assert.equal(wrong.events, []);
  assert.match(wrong.skipped[0] ?? '', /latitude is not a number/);
});

test('a message id longer than any wamid is skipped: its answer could never be keyed by it', () => {
  // Seen live: a signed message with a 100,000-character id was stored, then failed every
  // attempt ("requestKey must be … at most 256 characters") until it was dead.
  const long = parseDelivery(inbound('text', { body: 'hi' }, { id: `wamid.${'A'.repeat(300)}` }).delivery);
  assert.equal(long.events, []);
  assert.match(long.skipped[0] ?? '', /message id longer than 200 characters/);
  const fits = parseDelivery(inbound('text', { body: 'hi' }, { id: `wamid.${'A'.repeat(194)}` }).delivery);
  assert.is(fits.events.length, 1);
});

test('order: catalog items with numeric quantity and price', () => {
  const event = only(
    inbound('order', {
      catalog_id: '194836987003835',
      text: '',
      product_items: [
        { product_retailer_id: 'rice-mansuli-25', quantity: 2, item_price: 2150, currency: 'NPR' },
        { product_retailer_id: 'oil-sunflower-1l-box', quantity: 1, item_price: 3600, currency: 'NPR' },
      ],
    }).delivery,
  );
  assert.equal(event.content, {
    type: 'order',
    catalogId: '194836987003835',
    text: null,
    items: [
      { productRetailerId: 'rice-mansuli-25', quantity: 2, itemPrice: 2150, currency: 'NPR' },
      { productRetailerId: 'oil-sunflower-1l-box', quantity: 1, itemPrice: 3600, currency: 'NPR' },
    ],
  });
});

test('media: image with caption, voice note, document with filename, sticker (url may be absent)', () => {
  const image = only(
    inbound('image', { caption: 'yo chahiyo', mime_type: 'image/jpeg', sha256: 'x', id: '1001' }).delivery,
  );
  assert.equal(image.content, {
    type: 'media',
    media: 'image',
    mediaId: '1001',
    mimeType: 'image/jpeg',
    caption: 'yo chahiyo',
    filename: null,
    voice: false,
  });
  const voice = only(
    inbound('audio', { mime_type: 'audio/ogg; codecs=opus', sha256: 'y', id: '1002', voice: true }).delivery,
  );
  assert.equal(voice.content, {
    type: 'media',
    media: 'audio',
    mediaId: '1002',
    mimeType: 'audio/ogg; codecs=opus',
    caption: null,
    filename: null,
    voice: true,
  });
  const doc = only(
    inbound('document', {
      filename: 'order-list.pdf',
      mime_type: 'application/pdf',
      sha256: 'z',
      id: '1003',
      url: 'https://lookaside.example/1003',
    }).delivery,
  );
  assert.equal(doc.content, {
    type: 'media',
    media: 'document',
    mediaId: '1003',
    mimeType: 'application/pdf',
    caption: null,
    filename: 'order-list.pdf',
    voice: false,
  });
  const sticker = only(
    inbound('sticker', { mime_type: 'image/webp', sha256: 's', id: '1004', animated: false }).delivery,
  );
  assert.is(sticker.content.type === 'media' && sticker.content.media, 'sticker');
});

test('video, and an interactive reply type this parser does not know (a flow answer) as unsupported', () => {
  const video = only(inbound('video', { caption: 'godam', mime_type: 'video/mp4', sha256: 'v', id: '1005' }).delivery);
  assert.equal(video.content, {
    type: 'media',
    media: 'video',
    mediaId: '1005',
    mimeType: 'video/mp4',
    caption: 'godam',
    filename: null,
    voice: false,
  });
  const flow = only(inbound('interactive', { type: 'nfm_reply', nfm_reply: { response_json: '{}' } }).delivery);
  assert.equal(flow.content, { type: 'unsupported', originalType: 'interactive.nfm_reply' });
});

test('reaction: an emoji on one of our messages; an empty emoji is a removed reaction', () => {
  const event = only(inbound('reaction', { message_id: 'wamid.OURS1', emoji: '👍' }).delivery);
  assert.equal(event.content, { type: 'reaction', messageId: 'wamid.OURS1', emoji: '👍' });
  const removed = only(inbound('reaction', { message_id: 'wamid.OURS1', emoji: '' }).delivery);
  assert.equal(removed.content, { type: 'reaction', messageId: 'wamid.OURS1', emoji: null });
});

test('a shared contact card', () => {
  const m = message(
    'contacts',
    {},
    {
      contacts: [
        {
          name: { first_name: 'Sita', formatted_name: 'Sita Traders' },
          phones: [{ phone: '+977 985-1234567', wa_id: VENDOR_WA_ID, type: 'MOBILE' }],
        },
      ],
    },
  );
  const event = only(delivery([change({ contacts: [contact(SHOP_WA_ID, 'Ram Kirana')], messages: [m] })]));
  assert.equal(event.content, { type: 'contacts', contacts: [{ name: 'Sita Traders', phones: ['+977 985-1234567'] }] });
});

test('unsupported, with the errors on the message', () => {
  const event = only(
    inbound(
      'unsupported',
      { type: 'edit' },
      {
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
      },
    ).delivery,
  );
  assert.equal(event.content, { type: 'unsupported', originalType: 'edit' });
  assert.equal(event.errors, [
    {
      code: 131051,
      title: 'Message type unknown',
      message: 'Message type unknown',
      details: 'Message type is currently not supported.',
    },
  ]);
  // The OpenAPI form: no `unsupported` object at all.
  const bare = only(inbound('unsupported', {}, { unsupported: undefined }).delivery);
  assert.equal(bare.content, { type: 'unsupported', originalType: 'unknown' });
  // A type this parser has never heard of is unsupported too, not dropped.
  const future = only(inbound('poll', { question: '?' }).delivery);
  assert.equal(future.content, { type: 'unsupported', originalType: 'poll' });
});

test('a system message comes without contacts[]: no profile name', () => {
  const m = message('system', {
    body: `User changed from ${SHOP_WA_ID} to 9779812345670`,
    wa_id: '9779812345670',
    type: 'user_changed_number',
  });
  const event = only(delivery([change({ messages: [m] })]));
  assert.is(event.profileName, null);
  assert.equal(event.content, {
    type: 'system',
    body: `User changed from ${SHOP_WA_ID} to 9779812345670`,
    newWaId: '9779812345670',
    kind: 'user_changed_number',
  });
});

test('context in its four forms: reply, product enquiry, forwarded, frequently forwarded', () => {
  const ctx = (context: Json) => only(inbound('text', { body: 'x' }, { context }).delivery).context;
  assert.equal(ctx({ from: '9779800000000', id: 'wamid.Q1' }), {
    kind: 'reply',
    from: '9779800000000',
    messageId: 'wamid.Q1',
  });
  assert.equal(
    ctx({
      from: '9779800000000',
      id: 'wamid.P1',
      referred_product: { catalog_id: '194836987003835', product_retailer_id: 'sugar-50' },
    }),
    {
      kind: 'product',
      from: '9779800000000',
      messageId: 'wamid.P1',
      catalogId: '194836987003835',
      productRetailerId: 'sugar-50',
    },
  );
  assert.equal(ctx({ forwarded: true }), { kind: 'forwarded', frequently: false });
  assert.equal(ctx({ frequently_forwarded: true }), { kind: 'forwarded', frequently: true });
});

test('statuses: sent, delivered, read, and failed with its errors', () => {
  const wamid = 'wamid.OUT1';
  const failedError = {
    code: 131047,
    title: 'Re-engagement message',
    message: 'Re-engagement message',
    error_data: {
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
  const { events, skipped } = parseDelivery(
    delivery([
      change({
        statuses: [
          status(wamid, 'sent', 1764980100, {
            conversation: { id: 'c1', expiration_timestamp: '1765066500', origin: { type: 'service' } },
          }),
          status(wamid, 'delivered', 1764980101, {
            pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' },
          }),
          status(wamid, 'read', 1764980102),
          status('wamid.OUT2', 'failed', 1764980103, { errors: [failedError] }),
        ],
      }),
    ]),
  );
  assert.equal(skipped, []);
  assert.equal(
    events.map((e) => e.kind === 'status' && [e.eventId, e.messageId, e.status, e.at.toISOString(), e.recipient]),
    [
      [`wa:status:${wamid}:sent`, wamid, 'sent', '2025-12-06T00:15:00.000Z', SHOP_WA_ID],
      [`wa:status:${wamid}:delivered`, wamid, 'delivered', '2025-12-06T00:15:01.000Z', SHOP_WA_ID],
      [`wa:status:${wamid}:read`, wamid, 'read', '2025-12-06T00:15:02.000Z', SHOP_WA_ID],
      ['wa:status:wamid.OUT2:failed', 'wamid.OUT2', 'failed', '2025-12-06T00:15:03.000Z', SHOP_WA_ID],
    ],
  );
  const failed = events[3];
  assert.ok(failed?.kind === 'status');
  assert.equal(failed.errors, [
    {
      code: 131047,
      title: 'Re-engagement message',
      message: 'Re-engagement message',
      details: failedError.error_data.details,
    },
  ]);
});

test('a status webhook may carry contacts[] and no pricing: still one status event', () => {
  const { events } = parseDelivery(
    delivery([
      change({ contacts: [contact(SHOP_WA_ID, 'Ram Kirana')], statuses: [status('wamid.OUT3', 'read', 1764980200)] }),
    ]),
  );
  assert.is(events.length, 1);
  assert.is(events[0]?.kind, 'status');
});

test('errors[] of the change as a whole (e.g. 130429), with a stable event id', () => {
  const errors = [
    { code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'Too many messages.' } },
  ];
  const a = parseDelivery(delivery([change({ errors })]));
  const b = parseDelivery(delivery([change({ errors })]));
  assert.is(a.events.length, 1);
  const event = a.events[0];
  assert.ok(event?.kind === 'error');
  assert.equal(event.errors, [
    { code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', details: 'Too many messages.' },
  ]);
  assert.is(event.eventId, b.events[0]?.eventId);
  assert.match(event.eventId, /^wa:error:[0-9a-f]{32}$/);
});

test('a multi-entry delivery: every entry and every change, in order, each with its own profile names', () => {
  const shopText = message('text', { body: 'chini 5 kg' });
  const shopImage = message('image', { id: '2001', mime_type: 'image/jpeg', sha256: 'h' });
  const vendorButton = message(
    'interactive',
    { type: 'button_reply', button_reply: { id: 'offer:accept:o1', title: 'Accept' } },
    { from: VENDOR_WA_ID },
  );
  const d = delivery(
    [
      change({ contacts: [contact(SHOP_WA_ID, 'Ram Kirana')], messages: [shopText, shopImage] }),
      change({ statuses: [status('wamid.OUT9', 'delivered', 1764980300)] }),
    ],
    [change({ contacts: [contact(VENDOR_WA_ID, 'Sita Traders')], messages: [vendorButton] })],
  );
  const { events, skipped } = parseDelivery(d);
  assert.equal(skipped, []);
  assert.equal(
    events.map((e) => (e.kind === 'message' ? [e.messageId, e.profileName, e.content.type] : [e.eventId])),
    [
      [shopText.id, 'Ram Kirana', 'text'],
      [shopImage.id, 'Ram Kirana', 'media'],
      ['wa:status:wamid.OUT9:delivered'],
      [vendorButton.id, 'Sita Traders', 'button_reply'],
    ],
  );
});

test('duplicates: the same message id twice, in one delivery or two, is one event id', () => {
  const m = message('text', { body: 'dal 10 kg' });
  const twice = parseDelivery(delivery([change({ messages: [m] }), change({ messages: [m] })]));
  assert.is(twice.events.length, 1);
  const again = parseDelivery(delivery([change({ contacts: [contact(SHOP_WA_ID, 'Ram Kirana')], messages: [m] })]));
  assert.is(again.events[0]?.eventId, twice.events[0]?.eventId);
  // And the inbox record of either is keyed by that id, so the inbox stores it once.
  const receivedAt = new Date('2026-12-06T00:00:00Z');
  assert.is(inboxRecordOf(twice.events[0] as InboundEvent, receivedAt).externalId, `wa:msg:${m.id}`);
});

test('out-of-order statuses never move a message backwards', () => {
  const wamid = 'wamid.OUT5';
  // Delivered as Meta may: read first, then a late sent and delivered, and read redelivered.
  const { events } = parseDelivery(
    delivery(
      [change({ statuses: [status(wamid, 'read', 1764980402)] })],
      [change({ statuses: [status(wamid, 'sent', 1764980400), status(wamid, 'delivered', 1764980401)] })],
      [change({ statuses: [status(wamid, 'read', 1764980402)] })],
    ),
  );
  assert.is(events.length, 3, 'the redelivered read is the same event');
  let current: DeliveryStatus | null = null;
  const seen: DeliveryStatus[] = [];
  for (const e of events) {
    if (e.kind !== 'status') continue;
    current = advanceDeliveryStatus(current, e.status);
    seen.push(current);
  }
  assert.equal(seen, ['read', 'read', 'read']);
});

test('a malformed item is skipped with the reason; the rest of the delivery is still taken', () => {
  const good = message('text', { body: 'ok' });
  const { events, skipped } = parseDelivery(
    delivery([
      change({
        messages: [
          { ...message('text', { body: 'x' }), id: undefined },
          { ...message('text', { body: 'x' }), timestamp: 1764980000 },
          good,
        ],
        statuses: [status('wamid.S', 'deleted', 1764980000)],
      }),
      { field: 'account_update', value: {} },
    ]),
  );
  assert.equal(
    events.map((e) => e.eventId),
    [`wa:msg:${good.id}`],
  );
  assert.is(skipped.length, 4);
  assert.match(skipped.join('\n'), /message without id/);
  assert.match(skipped.join('\n'), /timestamp is not a string/);
  assert.match(skipped.join('\n'), /"deleted" is not one we track/);
  assert.match(skipped.join('\n'), /not a messages change/);
  assert.equal(parseDelivery({ object: 'page', entry: [] }), {
    events: [],
    skipped: ['not a whatsapp_business_account delivery'],
  });
  assert.equal(parseDelivery(null).events, []);
});

test('hostile shapes never throw out of parseDelivery: an interactive type that is an object, __proto__ keys', () => {
  // JSON.parse gives `{"toString": 1}` an own non-callable toString: String() on it throws a TypeError.
  const odd = parseDelivery(inbound('interactive', { type: { toString: 1, valueOf: 2 } }).delivery);
  assert.is(odd.events.length, 1);
  assert.equal((odd.events[0] as InboundMessage).content, { type: 'unsupported', originalType: 'interactive.object' });
  const raw =
    '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"P"},' +
    '"__proto__":{"polluted":1},"contacts":[{"wa_id":"__proto__","profile":{"name":"x"}}],"messages":[{"id":"a","from":"__proto__",' +
    '"timestamp":"1","type":"__proto__","__proto__":{"polluted":2}}]}}]}]}';
  const parsed = parseDelivery(JSON.parse(raw));
  assert.equal((parsed.events[0] as InboundMessage).content, { type: 'unsupported', originalType: '__proto__' });
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('NUL and lone surrogates never reach the inbox: PostgreSQL refuses both in text and jsonb', () => {
  const { delivery: d } = inbound('text', { body: 'chini\u0000 2 kg \ud800 dal' });
  const event = only(d);
  assert.equal(event.content, { type: 'text', text: 'chini 2 kg \ufffd dal' });
  const stored = JSON.stringify(inboxRecordOf(event, new Date()).payload);
  assert.not.match(stored, /\\u0000|\\ud800/);
});

test('an inbox payload gives back the same event (dates included)', () => {
  const { events } = parseDelivery(
    delivery([
      change({
        contacts: [contact(SHOP_WA_ID, 'Ram Kirana')],
        messages: [message('text', { body: 'चिनी ५ केजी' })],
        statuses: [status('wamid.OUT7', 'sent', 1764980500)],
      }),
    ]),
  );
  for (const event of events) {
    const record = inboxRecordOf(event, new Date());
    assert.is(record.provider, 'whatsapp');
    assert.equal(inboundEventOf(record.payload), event);
  }
  assert.throws(
    () => inboundEventOf({ kind: 'message', eventId: 'x', businessNumberId: 'y', sentAt: 'not a date' }),
    /sentAt is not a date/,
  );
});

test.run();
