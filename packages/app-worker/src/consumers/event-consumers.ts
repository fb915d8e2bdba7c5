import {
  type DeliveryDisputeReason,
  type CatalogCache,
  type Clock,
  type CreditScoreTrigger,
  type DomainEvent,
  EventTypes,
  type IdempotencyStore,
  type JobInfo,
  type Logger,
  type MessageSender,
  Money,
  nepalDayLabel,
  nepalTimeLabel,
  type OrderId,
  type OrderLine,
  type PhoneNumber,
  type Repositories,
  type RetailerId,
  requestedMessages,
  SYSTEM_ACTOR,
  type UseCases,
  type VendorId,
} from '@khaacho/core';
import { effectOncePerJob } from './effect-once.js';
import { eventFromJobPayload, type JobKind, isJobKind } from './event-routes.js';

/** WhatsApp's limit on an interactive message's body. */
const MAX_OFFER_BODY = 1024;

/**
 * A vendor's offer: what to deliver (each line, as the shop's draft showed it), where, for how
 * much and by when. Lines that would pass WhatsApp's body limit are counted, not listed, so a
 * long order is still sent (an overlong body would fail the job on every retry).
 */
export function offerBody(offer: {
  readonly number: string;
  readonly total: string;
  readonly area: string | null;
  readonly lines: readonly OrderLine[];
  readonly deadline: string;
}): string {
  const head = `New order ${offer.number} for ${offer.total}${offer.area ? `, to ${offer.area}` : ''}${offer.lines.length > 0 ? ':' : '.'}`;
  const tail = `Please answer by ${offer.deadline}.`;
  const shown: string[] = [];
  let length = head.length + 1 + tail.length;
  for (const [i, l] of offer.lines.entries()) {
    const line = `${i + 1}. ${l.name}: ${l.quantity} × ${l.unitPrice.format()} = ${l.lineTotal.format()}`;
    const more = i + 1 < offer.lines.length ? `… and ${offer.lines.length - i - 1} more lines`.length + 1 : 0;
    if (length + line.length + 1 + more > MAX_OFFER_BODY) {
      shown.push(`… and ${offer.lines.length - i} more lines`);
      break;
    }
    shown.push(line);
    length += line.length + 1;
  }
  return [head, ...shown, tail].join('\n');
}

const DISPUTE_TEXT: Readonly<Record<DeliveryDisputeReason, string>> = {
  NO_CODE: 'marked delivered without the code',
  WRONG_CODE_LIMIT: 'three wrong codes',
  NOT_RECEIVED: 'the shop says not received',
};

export interface EventConsumerDeps {
  readonly useCases: Pick<UseCases, 'routeOrder' | 'recalculateCreditScore' | 'getOrder'>;
  readonly vendors: Pick<Repositories['vendors'], 'get'>;
  /** For the shop's area on a vendor's offer; without it the offer names no area. */
  readonly retailers?: Pick<Repositories['retailers'], 'get'> | null;
  readonly sender: MessageSender;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where operator alerts go as a message; without one they are only logged (at warn). */
  readonly operatorPhone?: PhoneNumber | null;
  /** The catalog cache that product and offer events invalidate; without one those jobs only log. */
  readonly catalog?: Pick<CatalogCache, 'invalidate'> | null;
  /**
   * Enqueues the snapshot refreshes an event calls for (`snapshotRefreshEnqueuer`), after the
   * job's own effect; without one, snapshots are only refreshed on schedule.
   */
  readonly refreshSnapshots?: ((event: DomainEvent, jobId: string) => Promise<number>) | null;
}

/**
 * The consumers of the event jobs the relay publishes (see `routeEvent`). Each one calls a
 * core use case with the system actor, and each is idempotent: RouteOrder by the order's
 * state (SKIPPED when an offer is already waiting), messages and score recalculation by
 * the job id in the IdempotencyStore. Throwing fails the job; the queue retries it.
 */
export function createEventConsumer(deps: EventConsumerDeps): (job: JobInfo) => Promise<void> {
  const { logger } = deps;

  async function routeOrder(orderId: OrderId): Promise<void> {
    const routed = await deps.useCases.routeOrder.execute({ orderId, actor: SYSTEM_ACTOR });
    // A missing order will not appear on a retry: log it and let the job end.
    if (!routed.ok) logger.warn('routing skipped: order not found', { orderId, code: routed.error.code });
    else if (routed.value.outcome === 'SKIPPED')
      logger.info('routing skipped', { orderId, reason: routed.value.reason });
  }

  async function notifyVendor(job: JobInfo, event: Extract<DomainEvent, { type: 'order.offered' }>): Promise<void> {
    const orderId = event.aggregateId;
    const vendorId: VendorId = event.payload.vendorId;
    const vendor = await deps.vendors.get(vendorId);
    if (!vendor) return logger.warn('offer notification skipped: vendor not found', { orderId, vendorId });
    const order = await deps.useCases.getOrder.execute({ orderId });
    const number = order.ok ? order.value.number : orderId;
    const total = Money.fromJSON(event.payload.total).format();
    const shop = order.ok && deps.retailers ? await deps.retailers.get(order.value.retailerId) : null;
    const body = offerBody({
      number,
      total,
      area: shop?.area ?? null,
      lines: order.ok ? order.value.lines : [],
      deadline: nepalTime(event.payload.deadline),
    });
    const sent = await effectOncePerJob(deps, job, async () => {
      const { providerMessageId } = await deps.sender.send({
        kind: 'buttons',
        to: vendor.phone,
        body,
        buttons: [
          { id: `offer:accept:${orderId}`, title: 'Accept' },
          { id: `offer:reject:${orderId}`, title: 'Reject' },
        ],
      });
      return { providerMessageId };
    });
    logger.info(sent.done ? 'offer sent to vendor' : 'offer notification already sent', { orderId, vendorId });
  }

  async function alertOperator(
    job: JobInfo,
    event: Extract<DomainEvent, { type: 'order.needs_manual_assignment' }>,
  ): Promise<void> {
    const orderId = event.aggregateId;
    const { attempts, reason } = event.payload;
    logger.warn('order needs manual assignment', { orderId, attempts, reason });
    const phone = deps.operatorPhone;
    if (!phone) return;
    await effectOncePerJob(deps, job, async () => {
      const order = await deps.useCases.getOrder.execute({ orderId });
      const number = order.ok ? order.value.number : orderId;
      const { providerMessageId } = await deps.sender.send({
        kind: 'text',
        to: phone,
        text: `Order ${number} needs a vendor assigned by hand (${attempts} automatic attempts: ${reason}).`,
      });
      return { providerMessageId };
    });
  }

  /**
   * The requested messages, in order, each sent once per job: the first under the job's own
   * effect key, the n-th under `<job id>#n`, so the job's progress is recorded message by
   * message. A failed send fails the job (retried with backoff, so a provider outage delays
   * it); the retry replays the messages already sent (sending nothing) and resumes at the one
   * that failed, so a failure mid-answer neither repeats nor reorders anything.
   */
  async function sendMessages(
    job: JobInfo,
    event: Extract<DomainEvent, { type: 'message.send_requested' }>,
  ): Promise<void> {
    const messages = requestedMessages(event.payload);
    let sent = 0;
    for (const [index, message] of messages.entries()) {
      const step = index === 0 ? job : { ...job, jobId: `${job.jobId}#${index}` };
      const done = await effectOncePerJob(deps, step, async () => {
        const { providerMessageId } = await deps.sender.send(message);
        return { providerMessageId };
      });
      if (done.done) sent += 1;
    }
    logger.info(sent > 0 ? 'message sent' : 'message already sent for this job', {
      reason: event.payload.reason,
      kind: messages.map((m) => m.kind).join(','),
      sent,
      of: messages.length,
    });
  }

  async function alertDeliveryDispute(
    job: JobInfo,
    event: Extract<DomainEvent, { type: 'order.delivery_disputed' }>,
  ): Promise<void> {
    const orderId = event.aggregateId;
    const { reason } = event.payload;
    logger.warn('delivery in dispute', { orderId, reason });
    const phone = deps.operatorPhone;
    if (!phone) return;
    await effectOncePerJob(deps, job, async () => {
      const order = await deps.useCases.getOrder.execute({ orderId });
      const number = order.ok ? order.value.number : orderId;
      const { providerMessageId } = await deps.sender.send({
        kind: 'text',
        to: phone,
        text: `Delivery of order ${number} is in dispute (${DISPUTE_TEXT[reason]}): resolve it in the operator console.`,
      });
      return { providerMessageId };
    });
  }

  async function recalculateScore(job: JobInfo, retailerId: RetailerId, trigger: CreditScoreTrigger): Promise<void> {
    const done = await effectOncePerJob(deps, job, async () => {
      const scored = await deps.useCases.recalculateCreditScore.execute({ retailerId, trigger, actor: SYSTEM_ACTOR });
      if (!scored.ok) {
        logger.warn('score recalculation skipped: retailer not found', { retailerId, code: scored.error.code });
        return null;
      }
      return { score: scored.value.score };
    });
    if (!done.done) logger.info('score recalculation already done for this job', { retailerId });
  }

  /**
   * Idempotent by nature (a second run only replaces a generation stamp again). Throws while
   * the cache cannot confirm it, so the job is retried: an invalidation is never lost to an
   * outage, and a lookup meanwhile reads the database.
   */
  async function invalidateCatalog(event: DomainEvent): Promise<void> {
    if (!deps.catalog) return logger.info('catalog event: no catalog cache to invalidate', { type: event.type });
    const part = await deps.catalog.invalidate(event);
    logger.info('catalog cache invalidated', { part, type: event.type, id: event.aggregateId });
  }

  async function run(job: JobInfo, kind: JobKind, event: DomainEvent): Promise<void> {
    switch (kind) {
      case 'invalidate-catalog-cache':
        if (event.aggregateType !== 'product' && event.aggregateType !== 'vendor_offer') break;
        return invalidateCatalog(event);
      case 'route-order':
        if (event.aggregateType !== 'order') break;
        return routeOrder(event.aggregateId);
      case 'notify-vendor-offer':
        if (event.type !== EventTypes.ORDER_OFFERED) break;
        return notifyVendor(job, event);
      case 'send-message':
        if (event.type !== EventTypes.MESSAGE_SEND_REQUESTED) break;
        return sendMessages(job, event);
      case 'alert-operator':
        if (event.type === EventTypes.ORDER_DELIVERY_DISPUTED) return alertDeliveryDispute(job, event);
        if (event.type !== EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT) break;
        return alertOperator(job, event);
      case 'refresh-snapshots':
        // The refresh follows every job (below); this job exists only to carry the event.
        if (event.type === EventTypes.ORDER_STATUS_CHANGED) return;
        break;
      case 'recalculate-credit-score':
        if (event.type === EventTypes.CREDIT_PAYMENT_RECORDED) {
          return recalculateScore(job, event.payload.retailerId, 'PAYMENT');
        }
        if (event.type === EventTypes.ORDER_STATUS_CHANGED) {
          return recalculateScore(job, event.payload.retailerId, 'DELIVERY');
        }
        break;
    }
    // The route table and this switch disagree: a bug, not a transient failure.
    throw new Error(`job ${kind} cannot handle event ${event.type}`);
  }

  return async (job: JobInfo) => {
    if (!isJobKind(job.name)) throw new Error(`unknown job kind ${job.name} on ${job.queue}`);
    const event = eventFromJobPayload(job.payload);
    await run(job, job.name, event);
    // After the effect, so a failed effect is retried before anything reads its result. An
    // enqueue failure fails the job too: its retry repeats an effect that is idempotent.
    if (deps.refreshSnapshots) {
      const enqueued = await deps.refreshSnapshots(event, job.jobId);
      if (enqueued > 0) logger.info('snapshot refresh enqueued', { type: event.type, jobs: enqueued });
    }
  };
}

/**
 * "11:07 (Nepal time), 6 Dec 2026": a vendor reads the deadline on a phone in Nepal, not as
 * an ISO instant in UTC. The stored deadline stays an instant.
 */
export function nepalTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${nepalTimeLabel(at)} (Nepal time), ${nepalDayLabel(at)}`;
}
