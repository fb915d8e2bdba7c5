// The end-to-end flow, written once and run against each composition (excluded from the build).
import {
  CONVERSATION_HANDLER,
  DEFAULT_OFFER_TIMEOUT_MS,
  type InboundContent,
  JOB_QUEUE,
  LOGGER,
  MAX_ROUTING_ATTEMPTS,
  Money,
  type OrderId,
  OUTBOX,
  PhoneNumber,
  REPOSITORY_TOKENS,
  type RetailerId,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  USE_CASES,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import { ManualClock } from '@khaacho/core/testing';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Composition } from '../composition/compose-container.js';
import { startWorker, type WorkerHandle } from '../worker/start-worker.js';
import { REFRESH_VENDOR_PERFORMANCE_JOB, refreshJob, snapshotRefreshHandlers } from '../consumers/snapshot-refresh.js';
import { eventually, flowWorld, recordingSender } from './flow-world.js';
import { deliveryCodeOf } from './order-journey.js';

/** A composition under test: the store (and later the queue) it runs on. Adding Redis is one more entry. */
export interface FlowComposition {
  readonly name: string;
  /** A composition with `KHAACHO_MESSAGE_SENDER=memory` on `clock`. */
  make(clock: ManualClock): Promise<Composition>;
}

const OPERATOR = PhoneNumber.parse('9851099999');

/** Worlds made in this process: compositions sharing one database need distinct tags (vendor phones are unique). */
let worldsMade = 0;
const WORLD_TAGS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Registers the end-to-end tests of the flow on `suite`, against `composition`. */
export function flowScenarios(suite: Test, composition: FlowComposition): void {
  const ctx: { app?: Composition; worker?: WorkerHandle; clock: ManualClock } = {
    clock: new ManualClock('2026-03-02T04:00:00.000Z'),
  };
  const app = () => ctx.app as Composition;
  const uc = USE_CASE_TOKENS;
  const order = async (orderId: OrderId) => unwrap(await app().get(uc.getOrder).execute({ orderId }));
  const offersTo = (phone: string) => recordingSender(app()).to(phone);
  // One character per world, valid in a SKU, an area and (by its code) a phone number: 36 worlds a process.
  const world = (vendors: number) => flowWorld(app(), vendors, WORLD_TAGS.charAt(worldsMade++));
  const offeredTo = async (orderId: OrderId, vendor: { id: VendorId; phone: string }, nth = 1) => {
    await eventually(`offer to ${vendor.phone}`, () => offersTo(vendor.phone).length >= nth);
    const pending = (await order(orderId)).pendingOffer();
    assert.is(pending?.vendorId, vendor.id, 'the order waits on that vendor');
  };
  const reject = async (orderId: OrderId, vendorId: VendorId) => {
    unwrap(
      await app()
        .get(uc.rejectVendorOffer)
        .execute({ orderId, vendorId, reason: 'out of stock', actor: { type: 'vendor', id: vendorId } }),
    );
  };
  /** Everything relayed and every job done (ack on completion: pending counts until the job succeeded). */
  const settled = () =>
    eventually('the outbox drains', async () => {
      const stats = await app().get(OUTBOX).stats(ctx.clock.now());
      const running = Object.values(ctx.worker?.status().queues ?? {}).some((q) => q.running > 0);
      return stats.pending === 0 && !running;
    });

  suite.before(async () => {
    ctx.app = await composition.make(ctx.clock);
    ctx.worker = startWorker(ctx.app, {
      relay: { pollMs: 5 },
      operatorPhone: OPERATOR,
      stopTimeoutMs: 5_000,
      // The manual clock stands still: a time window would coalesce every later event into
      // the first window's (already run) refresh. Per triggering job instead; the windows
      // have their own test (snapshot-refresh.test.ts).
      snapshotRefresh: { coalesceMs: 0 },
    });
  });
  suite.after(async () => {
    await ctx.worker?.stop();
    await ctx.app?.close();
  });

  suite(`${composition.name}: a placed order reaches ROUTING and the best vendor gets the offer`, async () => {
    const w = await world(3);
    const orderId = await w.placeOrder();
    await offeredTo(orderId, w.vendors[0] as { id: VendorId; phone: string });
    const routed = await order(orderId);
    assert.is(routed.status, 'ROUTING');
    assert.is(routed.routingAttempts.length, 1);
    const [message] = offersTo(w.vendors[0]?.phone as string);
    assert.is(message?.kind, 'buttons');
    if (message?.kind === 'buttons') {
      assert.equal(
        message.buttons.map((b) => b.id),
        [`offer:accept:${orderId}`, `offer:reject:${orderId}`],
      );
      assert.match(message.body, routed.number);
    }
    await settled();
    assert.is(offersTo(w.vendors[1]?.phone as string).length, 0, 'nobody else was offered the order');
    assert.is(offersTo(w.vendors[0]?.phone as string).length, 1, 'one message, however the jobs ran');
  });

  suite(`${composition.name}: a rejection moves the order to the next vendor`, async () => {
    const w = await world(3);
    const [first, second] = w.vendors as [{ id: VendorId; phone: string }, { id: VendorId; phone: string }];
    const orderId = await w.placeOrder();
    await offeredTo(orderId, first);
    await reject(orderId, first.id);
    await offeredTo(orderId, second);
    const routed = await order(orderId);
    assert.equal(
      routed.routingAttempts.map((a) => a.vendorId),
      [first.id, second.id],
    );
  });

  suite(`${composition.name}: an expired offer moves the order to the next vendor`, async () => {
    const w = await world(2);
    const [first, second] = w.vendors as [{ id: VendorId; phone: string }, { id: VendorId; phone: string }];
    const orderId = await w.placeOrder();
    await offeredTo(orderId, first);
    await settled();
    ctx.clock.advance(DEFAULT_OFFER_TIMEOUT_MS + 1);
    const expired = unwrap(await app().get(uc.expireOverdueOffers).execute({ actor: SYSTEM_ACTOR }));
    assert.ok(expired.includes(orderId));
    await offeredTo(orderId, second);
    assert.is((await order(orderId)).routingAttempts[0]?.outcome, 'EXPIRED');
  });

  suite(`${composition.name}: after ${MAX_ROUTING_ATTEMPTS} failed offers the order is flagged and an operator alerted`, async () => {
    const w = await world(MAX_ROUTING_ATTEMPTS + 1);
    const orderId = await w.placeOrder();
    const before = offersTo(OPERATOR.value).length;
    for (const vendor of w.vendors.slice(0, MAX_ROUTING_ATTEMPTS)) {
      await offeredTo(orderId, vendor);
      await reject(orderId, vendor.id);
    }
    await eventually('the operator alert', () => offersTo(OPERATOR.value).length > before);
    await settled();
    const flagged = await order(orderId);
    assert.is(flagged.status, 'ROUTING');
    assert.ok(flagged.needsManualAssignment);
    assert.not.ok(flagged.pendingOffer(), 'no offer waiting');
    assert.is(offersTo(w.vendors[MAX_ROUTING_ATTEMPTS]?.phone as string).length, 0, 'no sixth automatic offer');
    const alerts = offersTo(OPERATOR.value).slice(before);
    assert.is(alerts.length, 1);
    assert.match(alerts[0]?.kind === 'text' ? alerts[0].text : '', flagged.number);
  });

  suite(`${composition.name}: a delivered and a paid order each rescore the retailer once`, async () => {
    const w = await world(1);
    const vendor = w.vendors[0] as { id: VendorId; phone: string };
    const orderId = await w.placeOrder();
    await offeredTo(orderId, vendor);
    const actor = { type: 'vendor', id: vendor.id } as const;
    unwrap(await app().get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor }));
    unwrap(await app().get(uc.dispatchOrder).execute({ orderId, actor }));
    const code = await deliveryCodeOf(app(), orderId);
    const delivered = unwrap(await app().get(uc.deliverOrder).execute({ orderId, actor, code }));
    unwrap(
      await app()
        .get(uc.recordPayment)
        .execute({
          retailerId: w.retailerId as RetailerId,
          amount: delivered.total,
          reference: 'ESEWA-1',
          actor: SYSTEM_ACTOR,
        }),
    );
    await settled();
    const history = await app()
      .get(REPOSITORY_TOKENS.creditScores)
      .history(w.retailerId as RetailerId);
    assert.equal(history.map((h) => h.trigger).sort(), ['DELIVERY', 'PAYMENT']);
  });

  suite(`${composition.name}: an accepted and delivered order changes the vendor's stored performance`, async () => {
    const w = await world(1);
    const vendor = w.vendors[0] as { id: VendorId; phone: string };
    const snapshots = app().get(REPOSITORY_TOKENS.vendorPerformance);
    const orderId = await w.placeOrder();
    await offeredTo(orderId, vendor);
    await settled();
    assert.is(await snapshots.get(vendor.id), null, 'an offer alone is not an answer: no refresh yet');
    const actor = { type: 'vendor', id: vendor.id } as const;
    unwrap(await app().get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor }));
    const accepted = await eventually('the acceptance refreshed the vendor', async () => {
      const s = await snapshots.get(vendor.id);
      return s?.report.windows.find((x) => x.windowDays === 30)?.accepted === 1 ? s : undefined;
    });
    assert.is(accepted.report.windows.find((x) => x.windowDays === 30)?.delivered, 0);
    unwrap(await app().get(uc.dispatchOrder).execute({ orderId, actor }));
    unwrap(
      await app()
        .get(uc.deliverOrder)
        .execute({ orderId, actor, code: await deliveryCodeOf(app(), orderId) }),
    );
    const delivered = await eventually('the delivery refreshed the vendor', async () => {
      const s = await snapshots.get(vendor.id);
      return s?.report.windows.find((x) => x.windowDays === 30)?.delivered === 1 ? s : undefined;
    });
    assert.ok(delivered.version > accepted.version, 'a new version for new content');
    assert.is(delivered.report.windows.find((x) => x.windowDays === 30)?.fulfilmentRate, 1);
    await settled();
    const view = unwrap(await app().get(uc.getVendorPerformance).execute({ vendorId: vendor.id }));
    assert.is(view.source, 'SNAPSHOT');
    assert.equal(view.report, (await snapshots.get(vendor.id))?.report);
  });

  suite(`${composition.name}: a price change shows in the product's stored price intelligence`, async () => {
    const w = await world(3);
    const [, , third] = w.vendors as [unknown, unknown, { id: VendorId; phone: string }];
    const snapshots = app().get(REPOSITORY_TOKENS.priceIntelligence);
    // The offers' own events (made by the world) refresh the product first.
    const before = await eventually('the offers refreshed the product', async () => {
      const s = await snapshots.get(w.productId);
      return s?.insight.reference.offerCount === 3 ? s : undefined;
    });
    assert.is(before.insight.reference.max?.amount, 2_200, 'per packet: 22 rupees');
    unwrap(
      await app()
        .get(uc.upsertVendorOffer)
        .execute({
          vendorId: third.id,
          productId: w.productId,
          unit: 'packet',
          unitPrice: Money.parse('30'),
          stockOnHand: 3000,
          actor: SYSTEM_ACTOR,
        }),
    );
    const after = await eventually('the price change refreshed the product', async () => {
      const s = await snapshots.get(w.productId);
      return s?.insight.reference.max?.amount === 3_000 ? s : undefined;
    });
    assert.ok(after.version > before.version);
    assert.ok(
      after.insight.alerts.some((a) => a.type === 'ABOVE_MEDIAN' && a.vendorId === third.id),
      '30 is more than 15 % above the median of 21',
    );
    await settled();
    const view = unwrap(await app().get(uc.getPriceIntelligence).execute({ productId: w.productId }));
    assert.is(view.source, 'SNAPSHOT');
  });

  suite(`${composition.name}: a refresh job run twice has its effect once`, async () => {
    const w = await world(1);
    const vendor = w.vendors[0] as { id: VendorId; phone: string };
    const snapshots = app().get(REPOSITORY_TOKENS.vendorPerformance);
    const orderId = await w.placeOrder();
    await offeredTo(orderId, vendor);
    const actor = { type: 'vendor', id: vendor.id } as const;
    unwrap(await app().get(uc.acceptVendorOffer).execute({ orderId, vendorId: vendor.id, actor }));
    unwrap(await app().get(uc.dispatchOrder).execute({ orderId, actor }));
    unwrap(
      await app()
        .get(uc.deliverOrder)
        .execute({ orderId, actor, code: await deliveryCodeOf(app(), orderId) }),
    );
    await eventually('the delivery refreshed the vendor', async () => {
      const s = await snapshots.get(vendor.id);
      return s?.report.windows.find((x) => x.windowDays === 30)?.delivered === 1 ? true : undefined;
    });
    await settled();
    const stored = await snapshots.get(vendor.id);
    // A rating raises no event: only a refresh job brings it into the snapshot.
    unwrap(
      await app()
        .get(uc.rateVendor)
        .execute({
          orderId,
          retailerId: w.retailerId as RetailerId,
          rating: 2,
          actor: { type: 'retailer', id: w.retailerId },
        }),
    );
    const queue = app().get(JOB_QUEUE);
    const spec = refreshJob(REFRESH_VENDOR_PERFORMANCE_JOB, `test:${vendor.id}`, { vendorId: vendor.id });
    const [handler] = snapshotRefreshHandlers({ useCases: app().get(USE_CASES), logger: app().get(LOGGER) });
    const { job } = await queue.enqueue(spec);
    await eventually('the job ran', async () => (await queue.get(job.queue, job.jobId))?.state === 'succeeded');
    await handler?.handle(job); // the same job again (a redelivery)
    assert.is((await queue.enqueue(spec)).duplicate, true, 'the same job id is not queued twice');
    const after = await snapshots.get(vendor.id);
    assert.is(after?.version, (stored?.version ?? 0) + 1, 'one new version');
    assert.is(after?.report.windows.find((x) => x.windowDays === 30)?.averageRating, 2);
  });

  suite(`${composition.name}: a shop orders by chat and the vendor accepts, dispatches and delivers (with the code) by chat; every reply goes out through the queue`, async () => {
    const w = await world(1);
    const vendor = w.vendors[0] as { id: VendorId; phone: string };
    const shopPhone = (
      await app()
        .get(REPOSITORY_TOKENS.retailers)
        .get(w.retailerId as RetailerId)
    )?.phone;
    if (!shopPhone) return assert.unreachable('the shop');
    // A product of its own, so the shop's words name exactly one product (compositions sharing
    // one database each get another name).
    const name = ['Gundruk', 'Kinema', 'Titaura', 'Masyaura'][worldsMade % 4] as string;
    const { product } = unwrap(
      await app()
        .get(uc.upsertProduct)
        .execute({
          sku: `${name.toUpperCase()}-${w.productId.slice(-4)}`,
          name,
          category: 'pickles',
          baseUnit: 'packet',
          actor: SYSTEM_ACTOR,
        }),
    );
    unwrap(
      await app()
        .get(uc.upsertVendorOffer)
        .execute({
          vendorId: vendor.id,
          productId: product.id,
          unit: 'packet',
          unitPrice: Money.parse('50'),
          stockOnHand: 100,
          actor: SYSTEM_ACTOR,
        }),
    );
    const handler = app().get(CONVERSATION_HANDLER);
    let n = 0;
    const say = (from: string, content: InboundContent) =>
      handler.handleMessage({
        kind: 'message',
        eventId: `wamid.flow-${composition.name}-${++n}`,
        businessNumberId: 'phone-number-id',
        messageId: `m${n}`,
        from: from.slice(1),
        profileName: null,
        sentAt: ctx.clock.now(),
        context: null,
        content,
        errors: [],
      });
    const to = (phone: string) => recordingSender(app()).to(phone);
    await say(shopPhone.value, { type: 'text', text: `${name.toLowerCase()} 3 packet` });
    const [draftReply] = await eventually(
      'the draft reply',
      () => to(shopPhone.value).length >= 1 && to(shopPhone.value),
    );
    if (draftReply?.kind !== 'buttons') return assert.unreachable(`a draft reply, got ${JSON.stringify(draftReply)}`);
    assert.match(draftReply.body, `${name}: 3 packet`);
    await say(shopPhone.value, { type: 'button_reply', id: draftReply.buttons[0]?.id ?? '', title: 'Confirm' });
    const placed = await eventually(
      'the placed reply',
      () => to(shopPhone.value).length >= 2 && to(shopPhone.value)[1],
    );
    assert.ok(placed.kind === 'text' && placed.text.startsWith('Order KH-'), JSON.stringify(placed));
    const [offer] = await eventually('the offer', () => to(vendor.phone).length >= 1 && to(vendor.phone));
    const accept = offer?.kind === 'buttons' ? offer.buttons[0]?.id : undefined;
    assert.match(accept ?? '', /^offer:accept:/);
    await say(vendor.phone, { type: 'button_reply', id: accept ?? '', title: 'Accept' });
    const accepted = await eventually('the accept reply', () => to(vendor.phone).length >= 2 && to(vendor.phone)[1]);
    assert.ok(accepted.kind === 'buttons' && accepted.buttons[0]?.id.startsWith('order:dispatched:'));
    const confirmed = await eventually(
      'the shop is told',
      () => to(shopPhone.value).length >= 3 && to(shopPhone.value)[2],
    );
    assert.ok(
      confirmed.kind === 'text' && /is confirmed by the supplier/.test(confirmed.text),
      JSON.stringify(confirmed),
    );
    // Dispatched and delivered by chat: the vendor proves the delivery with the shop's code.
    await say(vendor.phone, { type: 'button_reply', id: accepted.buttons[0]?.id ?? '', title: 'Dispatched' });
    const onItsWay = await eventually('the code', () => to(shopPhone.value).length >= 4 && to(shopPhone.value)[3]);
    if (onItsWay.kind !== 'buttons') return assert.unreachable(`the dispatch notice, got ${JSON.stringify(onItsWay)}`);
    const code = /delivery code is (\d{4})/.exec(onItsWay.body)?.[1];
    assert.ok(code, onItsWay.body);
    assert.match(onItsWay.buttons[0]?.id ?? '', /^delivery:not-received:/);
    const dispatched = await eventually(
      'the dispatch reply',
      () => to(vendor.phone).length >= 3 && to(vendor.phone)[2],
    );
    assert.ok(dispatched.kind === 'buttons' && dispatched.buttons[0]?.id.startsWith('order:delivered:'));
    await say(vendor.phone, { type: 'button_reply', id: dispatched.buttons[0]?.id ?? '', title: 'Delivered' });
    const asked = await eventually('the code is asked', () => to(vendor.phone).length >= 4 && to(vendor.phone)[3]);
    assert.ok(asked.kind === 'text' && /4-digit delivery code/.test(asked.text), JSON.stringify(asked));
    await say(vendor.phone, { type: 'text', text: code ?? '' });
    const thanks = await eventually('delivered', () => to(vendor.phone).length >= 5 && to(vendor.phone)[4]);
    assert.ok(thanks.kind === 'text' && /is delivered\. Thank you!/.test(thanks.text), JSON.stringify(thanks));
    const invoice = await eventually('the invoice', () => to(shopPhone.value).length >= 5 && to(shopPhone.value)[4]);
    assert.ok(invoice.kind === 'text' && /is delivered\. Invoice /.test(invoice.text), JSON.stringify(invoice));
    await settled();
    assert.is(
      to(shopPhone.value).length,
      5,
      'draft, placed, confirmed, dispatched with the code, delivered: once each',
    );
    assert.is(to(vendor.phone).length, 5, 'the offer, and the replies to accept, dispatched, delivered and the code');
  });
}
