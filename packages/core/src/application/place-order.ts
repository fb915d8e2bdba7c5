import type { Product } from '../catalog/product.js';
import type { CreditLimitExceeded } from '../credit/credit-account.js';
import { Order, type OrderSource } from '../order/order.js';
import type { HoldReason, OrderStatus } from '../order/order-status.js';
import type { Retailer } from '../parties/retailer.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId, ProductId, RetailerId } from '../shared/ids.js';
import type { ProductRepository } from '../ports/repositories.js';
import { noteText } from '../shared/text.js';
import { checkActor, checkId, checkOrderLines, checkOrderSource } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import type { OrderRiskDecision, OrderRiskPolicy } from './order-risk-policy.js';
import { type OrderLineRequest, quoteOrderLines } from './order-pricing.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface PlaceOrderCommand {
  readonly retailerId: RetailerId;
  readonly lines: readonly OrderLineRequest[];
  readonly source: OrderSource;
  readonly note?: string | null;
  readonly actor: Actor;
}

export interface PlacedOrder {
  readonly order: Order;
  /** Where the order went: on to routing, to an operator, or refused (risk BLOCK only). */
  readonly status: Extract<OrderStatus, 'ROUTING' | 'ON_HOLD' | 'REJECTED'>;
  /**
   * Why it is ON_HOLD: `CREDIT_LIMIT` when it did not fit the available credit (the shop may
   * order what fits instead, or leave it for an operator to approve), `RISK_REVIEW` when the
   * risk policy asked for a review; null otherwise.
   */
  readonly holdReason: HoldReason | null;
  readonly reasons: readonly string[];
  readonly risk: OrderRiskDecision | null;
  readonly creditExceeded: CreditLimitExceeded | null;
}

/**
 * Failures carry their facts in `details`: PARTY.INACTIVE `{ retailerId, status }`,
 * ORDER.INVALID_LINES `{ problems: LineProblem[] }`.
 */
export type PlaceOrderFailureCode = FailureCode<typeof PlaceOrder>;

/**
 * Place an order in one transaction: price the lines from live offers, lock the
 * retailer's credit account, check available credit against everything already
 * committed, ask the risk policy, and move the order PENDING → ROUTING / ON_HOLD /
 * REJECTED. The order and its events are committed together before anyone is told.
 *
 * An order over the available credit is held (`CREDIT_LIMIT`), not rejected: rejecting it
 * lost the sale. It reserves no credit while held; an operator's approval routes it anyway.
 */
export class PlaceOrder {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.PARTY_INACTIVE, ErrorCodes.ORDER_INVALID_LINES] as const;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly risk: OrderRiskPolicy,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<Outcome<PlacedOrder, FailureCode<typeof PlaceOrder>>> {
    // Before the transaction: a malformed command holds no connection and takes no order number.
    const cmd = checkPlaceOrder(command);
    const result = await runUseCase(PlaceOrder.failures, () => this.place(cmd));
    if (result.ok) {
      this.ctx.logger.info('order placed', {
        orderId: result.value.order.id,
        number: result.value.order.number,
        status: result.value.status,
        total: result.value.order.total.amount,
      });
    }
    return result;
  }

  private place(cmd: CheckedPlaceOrder): Promise<PlacedOrder> {
    return this.ctx.uow.run((tx) => this.placeIn(tx, cmd), { label: 'place-order' });
  }

  /**
   * The same placement inside a caller's transaction (`ConfirmDraft` places a draft and marks
   * it confirmed in one unit of work). Throws the declared failures as domain errors.
   */
  async placeWithin(tx: TransactionScope, command: PlaceOrderCommand): Promise<PlacedOrder> {
    return this.placeIn(tx, checkPlaceOrder(command));
  }

  private async placeIn(tx: TransactionScope, cmd: CheckedPlaceOrder): Promise<PlacedOrder> {
    const now = this.ctx.clock.now();
    const unlocked = activeRetailer(required(await tx.retailers.get(cmd.retailerId), 'retailer', cmd.retailerId));

    // Never from the catalog cache: units, conversions and prices decide what the
    // retailer owes, so they are read live in the transaction that commits the order.
    const products = await this.loadProducts(tx.products, cmd.lines);
    const productIds = [...new Set([...products.values()].map((p) => p.id))];
    const [offers, vendors] = await Promise.all([
      tx.offers.listActiveForProducts(productIds),
      tx.vendors.listActiveServing(unlocked.area),
    ]);
    const quoted = quoteOrderLines(cmd.lines, products, offers, vendors);
    if (!quoted.ok) {
      throw new DomainError('validation', ErrorCodes.ORDER_INVALID_LINES, 'some lines cannot be ordered', {
        problems: quoted.error,
      });
    }

    // The lock comes before the credit check: concurrent orders of this retailer queue here.
    const account = await tx.lockCreditAccount(unlocked.id);
    if (!account) throw new ValidationError('retailer has no credit account', { retailerId: unlocked.id });
    // Read again under the lock: a suspension or an erasure (both take this lock) committed
    // since the first read would otherwise be missed, and an erased shop could still order.
    const retailer = activeRetailer(required(await tx.retailers.get(cmd.retailerId), 'retailer', cmd.retailerId));
    const order = Order.place({
      id: this.ctx.ids.next() as OrderId,
      number: await tx.orders.nextNumber(),
      retailerId: retailer.id,
      lines: quoted.value,
      source: cmd.source,
      note: cmd.note,
      actor: cmd.actor,
      at: now,
    });
    const exposure = await tx.orders.pendingExposure(retailer.id, account.currency);
    const credit = account.checkAvailable(order.total, exposure);

    let risk: OrderRiskDecision | null = null;
    let reasons: string[];
    if (!credit.ok) {
      reasons = [`credit limit exceeded: order ${order.total.format()}, available ${credit.error.available.format()}`];
      order.hold(SYSTEM_ACTOR, now, reasons[0] as string, 'CREDIT_LIMIT');
    } else {
      risk = await this.risk.assess(
        { order: order.snapshot(), retailer, account, pendingExposure: exposure, asOf: now },
        tx,
      );
      reasons = [...risk.reasons];
      const because = reasons.join('; ');
      if (risk.verdict === 'BLOCK') order.reject(SYSTEM_ACTOR, now, because || 'blocked by risk rules');
      else if (risk.verdict === 'REVIEW') order.hold(SYSTEM_ACTOR, now, because || 'needs review', 'RISK_REVIEW');
      else order.route(SYSTEM_ACTOR, now, 'credit and risk checks passed');
    }
    await persist(tx, { orders: [order] });
    return {
      order,
      status: order.status as PlacedOrder['status'],
      holdReason: order.holdReason,
      reasons,
      risk,
      creditExceeded: credit.ok ? null : credit.error,
    };
  }

  /** Products by id and by `sku:<SKU>`, as `quoteOrderLines` looks them up: one query each. */
  private async loadProducts(
    repo: Pick<ProductRepository, 'getMany' | 'getManyBySku'>,
    lines: readonly OrderLineRequest[],
  ): Promise<Map<string, Product>> {
    const map = new Map<string, Product>();
    const ids = lines.map((l) => l.productId).filter((id): id is ProductId => typeof id === 'string');
    const skus = lines.filter((l) => !l.productId && l.sku).map((l) => l.sku as string);
    const [byId, bySku] = await Promise.all([repo.getMany(ids), repo.getManyBySku(skus)]);
    for (const p of byId) map.set(p.id, p);
    for (const p of bySku) {
      map.set(p.id, p);
      map.set(`sku:${p.sku}`, p);
    }
    return map;
  }
}

type CheckedPlaceOrder = PlaceOrderCommand & { readonly note: string | null };

/** The command as the transaction may use it: shape checked, note bounded. */
function checkPlaceOrder(cmd: PlaceOrderCommand): CheckedPlaceOrder {
  if (typeof cmd !== 'object' || cmd === null) {
    throw new ValidationError('a command is required', {}, ErrorCodes.INVALID_COMMAND);
  }
  return {
    retailerId: checkId<RetailerId>(cmd.retailerId, 'retailerId'),
    lines: checkOrderLines(cmd.lines),
    source: checkOrderSource(cmd.source),
    note: noteText(cmd.note),
    actor: checkActor(cmd.actor),
  };
}

function activeRetailer(retailer: Retailer): Retailer {
  if (retailer.status !== 'ACTIVE') {
    throw new DomainError('illegal_state', ErrorCodes.PARTY_INACTIVE, `retailer is ${retailer.status}`, {
      retailerId: retailer.id,
      status: retailer.status,
    });
  }
  return retailer;
}
