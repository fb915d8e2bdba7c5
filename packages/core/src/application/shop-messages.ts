import { DEFAULT_DRAFT_TTL_MS, type OrderDraft } from '../order/order-draft.js';
import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { MessageIntent, UnderstoodOrderLine } from '../ports/order-text-parser.js';
import { findOrderNumber } from '../parsing/intent-cues.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId, checkOrderSource } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import {
  type DraftOrderFromText,
  checkRequestKey,
  type DraftServices,
  type DraftTurn,
  forbidOtherShop,
  messageText,
  positiveSetting,
  priceDraft,
} from './order-drafts.js';
import type { OrderSource } from '../order/order.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface AnswerShopMessageCommand {
  readonly retailerId: RetailerId;
  readonly text: string;
  readonly source?: OrderSource;
  /** The inbound message (its event id): answered again, a draft it asked for is not made twice. */
  readonly requestKey?: string;
  readonly actor: Actor;
}

/**
 * What a shop's message asked for, resolved against that shop's own orders. Nothing here
 * changes an order:
 * - `DRAFT`: an order message, or a repeat (`repeatOf`: the order it repeats), as a priced
 *   draft to confirm with `ConfirmDraft`.
 * - `CANCEL_TO_CONFIRM`: the order a cancel message means; cancelling it is `CancelOrder`,
 *   once the shop has confirmed.
 * - `NOT_CANCELLABLE`: the order named is past cancelling (dispatched, delivered, closed).
 * - `ORDER_STATUS`: the order a status question means (the one named, else the latest).
 * - `ORDER_NOT_FOUND`: no order of this shop answers (`reference` as the shop wrote it, if
 *   any). Another shop's number is not found: it is never shown.
 * - `OTHER`: balance, help, greeting or unknown: for the reply to answer.
 */
export type ShopMessageAnswer =
  | { readonly kind: 'DRAFT'; readonly draft: OrderDraft; readonly repeatOf: Order | null }
  | { readonly kind: 'CANCEL_TO_CONFIRM'; readonly order: Order }
  | { readonly kind: 'NOT_CANCELLABLE'; readonly order: Order }
  | { readonly kind: 'ORDER_STATUS'; readonly order: Order }
  | { readonly kind: 'ORDER_NOT_FOUND'; readonly intent: MessageIntent; readonly reference: string | null }
  | { readonly kind: 'OTHER'; readonly intent: MessageIntent };

/** The statuses the order lifecycle's `cancel` transition leaves from. */
const CANCELLABLE: readonly OrderStatus[] = ['PENDING', 'ON_HOLD', 'ROUTING', 'CONFIRMED'];
/** What "same as last time" repeats: an order that was placed and not refused or withdrawn. */
const REPEATABLE: readonly OrderStatus[] = [
  'PENDING',
  'ON_HOLD',
  'ROUTING',
  'CONFIRMED',
  'DISPATCHED',
  'DELIVERED',
  'COMPLETED',
];
/** Our numbers are at most this many digits ("KH-000042"); a longer run is no order of ours. */
const MAX_NUMBER_DIGITS = 9;
const RECENT_ORDERS = 20;

/**
 * Our number for a reference in any format a shop writes it: "KH-000041", "kh 41", "#ORD-41",
 * "ORD000041", "order no 41", bare "41". Null when it holds no number we could have issued.
 */
export function orderNumberOf(reference: string): string | null {
  const digits = /(\d+)\s*$/.exec(reference.trim())?.[1];
  if (!digits || digits.length > MAX_NUMBER_DIGITS) return null;
  const n = digits.replace(/^0+(?=\d)/, '');
  return `KH-${n.padStart(6, '0')}`;
}

/**
 * Answer a shop's message in the context of its own orders: an order becomes a draft (as
 * `DraftOrderFromText`), "same as last week" a fresh draft of the last order at today's
 * prices, "cancel my last order" the order to confirm cancelling, and a status question or
 * an order number in any format the shop's order. Lookups are restricted to this shop.
 */
export class AnswerShopMessage {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.PARTY_INACTIVE,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DRAFT_NOTHING_TO_ORDER,
  ] as const;

  private readonly ttlMs: number;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly services: DraftServices,
    private readonly draftOrderFromText: DraftOrderFromText,
  ) {
    this.ttlMs = positiveSetting(services.settings?.ttlMs ?? DEFAULT_DRAFT_TTL_MS, 'ttlMs');
  }

  async execute(
    command: AnswerShopMessageCommand,
    turn: Pick<DraftTurn, 'retailer'> = {},
  ): Promise<Outcome<ShopMessageAnswer, FailureCode<typeof AnswerShopMessage>>> {
    checkCommand(command);
    const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
    const actor = checkActor(command.actor);
    const source = command.source === undefined ? 'whatsapp' : checkOrderSource(command.source);
    const text = messageText(command.text);
    const requestKey = checkRequestKey(command.requestKey);
    // The intent does not depend on the shop's history; an order message is parsed again in
    // its context by DraftOrderFromText, which is cheap next to pricing it.
    // Both parses of the message on one catalog version: one version read, not two.
    const parser = (await this.services.parser.pinned?.()) ?? this.services.parser;
    const parsed = await parser.parse(text);
    if (parsed.intent === 'order') {
      const drafted = await this.draftOrderFromText.execute(
        {
          retailerId,
          text,
          source,
          actor,
          ...(requestKey === null ? {} : { requestKey }),
        },
        { ...turn, parser },
      );
      return drafted.ok ? { ok: true, value: { kind: 'DRAFT', draft: drafted.value, repeatOf: null } } : drafted;
    }
    const result = await runUseCase(AnswerShopMessage.failures, async () => {
      forbidOtherShop(actor, retailerId);
      const retailer =
        turn.retailer?.id === retailerId
          ? turn.retailer
          : required(await this.ctx.repos.retailers.get(retailerId), 'retailer', retailerId);
      const reference = parsed.orderNumber ?? findOrderNumber(text)?.number ?? null;
      const named = reference === null ? null : await this.shopOrder(retailerId, reference);
      if (reference !== null && named === null && parsed.intent !== 'unknown') {
        return { kind: 'ORDER_NOT_FOUND', intent: parsed.intent, reference } as const;
      }
      switch (parsed.intent) {
        case 'status': {
          const order = named ?? (await this.latest(retailerId, null));
          return order
            ? ({ kind: 'ORDER_STATUS', order } as const)
            : ({ kind: 'ORDER_NOT_FOUND', intent: parsed.intent, reference } as const);
        }
        case 'cancel': {
          if (named) {
            return CANCELLABLE.includes(named.status)
              ? ({ kind: 'CANCEL_TO_CONFIRM', order: named } as const)
              : ({ kind: 'NOT_CANCELLABLE', order: named } as const);
          }
          const order = await this.latest(retailerId, CANCELLABLE);
          if (order) return { kind: 'CANCEL_TO_CONFIRM', order } as const;
          // Nothing cancellable: the latest order as it is ("on its way: no longer cancellable"),
          // since "no orders" would be untrue for a shop that has some.
          const latest = await this.latest(retailerId, null);
          return latest
            ? ({ kind: 'NOT_CANCELLABLE', order: latest } as const)
            : ({ kind: 'ORDER_NOT_FOUND', intent: parsed.intent, reference } as const);
        }
        case 'repeat': {
          if (retailer.status !== 'ACTIVE') {
            throw new DomainError('illegal_state', ErrorCodes.PARTY_INACTIVE, `retailer is ${retailer.status}`, {
              retailerId,
              status: retailer.status,
            });
          }
          const order = named ?? (await this.latest(retailerId, REPEATABLE));
          if (!order) return { kind: 'ORDER_NOT_FOUND', intent: parsed.intent, reference } as const;
          const draft = await this.ctx.uow.run(
            async (tx) => {
              const drafted = requestKey === null ? null : await tx.orderDrafts.getByRequestKey(retailerId, requestKey);
              if (drafted) return drafted;
              const fresh = await priceDraft(tx, this.ctx, {
                retailerId,
                area: retailer.area,
                text,
                source,
                parsed: order.lines.map(
                  (l): UnderstoodOrderLine => ({
                    raw: `${l.name} ${l.quantity.value} ${l.quantity.unit}`,
                    mention: l.name,
                    quantity: l.quantity.value,
                    unit: l.quantity.unit,
                    confidence: 1,
                    suggestions: [],
                    productId: l.productId,
                    // The shop's own earlier order chose these products.
                    resolvedBy: 'history',
                    needsClarification: false,
                    clarification: null,
                  }),
                ),
                now: this.ctx.clock.now(),
                ttlMs: this.ttlMs,
                replacesOrderId: null,
              });
              await tx.orderDrafts.insert(fresh, requestKey);
              return fresh;
            },
            { label: 'repeat-order-draft' },
          );
          return { kind: 'DRAFT', draft, repeatOf: order } as const;
        }
        default:
          return { kind: 'OTHER', intent: parsed.intent } as const;
      }
    });
    if (result.ok) {
      const a = result.value;
      this.ctx.logger.info('shop message answered', {
        retailerId,
        intent: parsed.intent,
        answer: a.kind,
        ...('order' in a ? { orderId: a.order.id } : {}),
        ...(a.kind === 'DRAFT' ? { draftId: a.draft.id, repeatOf: a.repeatOf?.id ?? null } : {}),
      });
    }
    return result;
  }

  /** The shop's order a reference names; another shop's order is not found. */
  private async shopOrder(retailerId: RetailerId, reference: string): Promise<Order | null> {
    const number = orderNumberOf(reference);
    if (number === null) return null;
    const order = await this.ctx.repos.orders.getByNumber(number);
    return order && order.retailerId === retailerId ? order : null;
  }

  /** The shop's most recent order, of the given statuses when given. */
  private async latest(retailerId: RetailerId, statuses: readonly OrderStatus[] | null): Promise<Order | null> {
    const page = await this.ctx.repos.orders.list(statuses === null ? { retailerId } : { retailerId, statuses }, {
      limit: RECENT_ORDERS,
    });
    return page.items[0] ?? null;
  }
}
