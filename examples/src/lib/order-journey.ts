// The whole life of one order, from a shop's sign-up to its credit statement, through
// core's use cases only. Both journey examples run this over different storage.
import {
  type Actor,
  type Clock,
  createUseCases,
  type ErrorCode,
  type Failure,
  type IdGenerator,
  type Logger,
  Money,
  type Outcome,
  PhoneNumber,
  type Repositories,
  SYSTEM_ACTOR,
  type UnitOfWork,
} from '@khaacho/core';

export interface JourneyDeps {
  readonly uow: UnitOfWork;
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** Expected business outcomes come back as values: look at them, don't catch them. */
function must<T>(step: string, outcome: Outcome<T, ErrorCode>): T {
  if (outcome.ok) return outcome.value;
  const failure: Failure<ErrorCode> = outcome.error;
  throw new Error(`${step} refused: ${failure.code} (${failure.message})`);
}

export async function orderJourney(deps: JourneyDeps, say: (line: string) => void = console.log): Promise<void> {
  const uc = createUseCases(deps);
  const operator: Actor = { type: 'operator', id: 'operator-sunita' };

  // Catalog and a vendor: staff (or the system, in an import) set these up.
  const vendor = must(
    'register vendor',
    await uc.registerVendor.execute({
      name: 'Bhatbhateni Distributors',
      phone: PhoneNumber.parse('9851000001'),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 100,
      actor: SYSTEM_ACTOR,
    }),
  );
  const { product: noodles } = must(
    'upsert product',
    await uc.upsertProduct.execute({
      sku: 'WAIWAI-75',
      name: 'Wai Wai Noodles 75g',
      category: 'noodles',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 30 }],
      aliases: [{ text: 'wai wai', language: 'ne-Latn' }],
      actor: operator,
    }),
  );
  must(
    'upsert offer',
    await uc.upsertVendorOffer.execute({
      vendorId: vendor.id,
      productId: noodles.id,
      unit: 'packet',
      unitPrice: Money.parse('20'),
      stockOnHand: 3000,
      actor: { type: 'vendor', id: vendor.id },
    }),
  );

  // A shop signs up (PENDING_KYC); it may order once an operator approves it.
  const shop = must(
    'register retailer',
    await uc.registerRetailer.execute({
      name: 'Sita Kirana Pasal',
      phone: PhoneNumber.parse('9841000001'),
      area: 'kathmandu-10',
      district: 'kathmandu',
      creditLimit: Money.parse('50000'),
      actor: { type: 'retailer', id: null },
    }),
  );
  must('approve', await uc.approveRetailer.execute({ retailerId: shop.id, reason: 'PAN checked', actor: operator }));
  const retailer: Actor = { type: 'retailer', id: shop.id };

  // PENDING → ROUTING: priced from live offers, credit checked under the account's lock.
  const placed = must(
    'place order',
    await uc.placeOrder.execute({
      retailerId: shop.id,
      lines: [{ sku: 'WAIWAI-75', quantity: 2, unit: 'carton' }],
      source: 'whatsapp',
      actor: retailer,
    }),
  );
  const orderId = placed.order.id;
  say(`placed ${placed.order.number}: ${placed.status}, ${placed.order.total.format()}`);

  // ROUTING: the best vendor not yet tried gets the offer (a worker does this on its own).
  const routed = must('route', await uc.routeOrder.execute({ orderId, actor: SYSTEM_ACTOR }));
  say(`routed: ${routed.outcome}`);

  // ROUTING → CONFIRMED: the vendor accepts; the ledger now holds the amount.
  const vendorActor: Actor = { type: 'vendor', id: vendor.id };
  const accepted = must(
    'accept',
    await uc.acceptVendorOffer.execute({ orderId, vendorId: vendor.id, actor: vendorActor }),
  );
  say(`accepted: ${accepted.status}`);

  // CONFIRMED → DISPATCHED → DELIVERED: delivery turns the hold into an invoice.
  must('dispatch', await uc.dispatchOrder.execute({ orderId, actor: vendorActor }));
  // The shop got a 4-digit code on dispatch and tells the driver: the vendor's [Delivered] needs it.
  const code = (await deps.repos.deliveries.get(orderId))?.code ?? null;
  const delivered = must('deliver', await uc.deliverOrder.execute({ orderId, actor: vendorActor, code }));
  say(`delivered: ${delivered.status}`);

  // A step out of order is a value too: delivering again is idempotent, cancelling now is refused.
  const lateCancel = await uc.cancelOrder.execute({ orderId, reason: 'changed my mind', actor: retailer });
  say(`cancel after delivery: ${lateCancel.ok ? 'accepted?!' : lateCancel.error.code}`);

  // DELIVERED → COMPLETED once the invoice is settled. The same reference twice records one payment.
  must(
    'pay',
    await uc.recordPayment.execute({
      retailerId: shop.id,
      amount: delivered.total,
      reference: 'ESEWA-0001',
      actor: operator,
    }),
  );
  const done = must('get order', await uc.getOrder.execute({ orderId }));
  say(`paid: ${done.status}`);

  const now = deps.clock.now();
  const statement = must(
    'statement',
    await uc.getCreditStatement.execute({
      retailerId: shop.id,
      from: new Date(now.getTime() - 86_400_000),
      to: new Date(now.getTime() + 86_400_000),
    }),
  );
  say(`statement: outstanding ${statement.outstanding.format()}, available ${statement.available.format()}`);
}
