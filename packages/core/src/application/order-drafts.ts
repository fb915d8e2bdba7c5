import type { Product } from '../catalog/product.js';
import {
  DEFAULT_DRAFT_TTL_MS,
  type DraftLine,
  type DraftQuestion,
  isDraftExpired,
  type OrderDraft,
} from '../order/order-draft.js';
import type { OrderLine } from '../order/order-line.js';
import type { Order, OrderSource } from '../order/order.js';
import type {
  MessageIntent,
  OrderTextParser,
  ParsedOrderLine,
  ProductSuggestion,
  UnclearOrderLine,
} from '../ports/order-text-parser.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import type { Retailer } from '../parties/retailer.js';
import type { Vendor } from '../parties/vendor.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import { type Actor, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ConcurrencyError, DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { DraftId, OrderId, ProductId, RetailerId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { MS_PER_DAY } from '../shared/clock.js';
import { checkActor, checkCommand, checkId, checkOrderSource } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type OrderLineRequest, quoteOrderLines } from './order-pricing.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import type { PlacedOrder, PlaceOrder } from './place-order.js';

/** A WhatsApp message is short; this bounds what one draft reads. */
export const MAX_DRAFT_TEXT_LENGTH = 4_000;

export interface DraftSettings {
  /** How long a draft can be confirmed (default 30 minutes). */
  readonly ttlMs?: number;
  /** How far back the shop's purchases count as "your usual" (default 90 days). */
  readonly historyDays?: number;
}

export interface DraftServices {
  /** Reads the shop's message: the local parser, or the AI one with the local one behind it. */
  readonly parser: OrderTextParser;
  /** Confirmation places through the same use case as every other order. */
  readonly placeOrder: PlaceOrder;
  readonly settings?: DraftSettings;
}

const HISTORY_LIMIT = 50;
const DEFAULT_HISTORY_DAYS = 90;
const MAX_CHOICES = 3;

export interface DraftOrderFromTextCommand {
  readonly retailerId: RetailerId;
  readonly text: string;
  /** Where the message came from (default `whatsapp`). */
  readonly source?: OrderSource;
  /**
   * The inbound message this drafts for (its event id). Run again with the same key — the
   * message answered a second time after a crash — it answers the draft the first run made.
   */
  readonly requestKey?: string;
  readonly actor: Actor;
}

/**
 * What the caller already holds for this message, so it is not read again: the shop as it read
 * it moments ago (used only when its id is the command's), and the parser pinned for the
 * message (`OrderTextParser.pinned`). In-process only: never part of a command from outside.
 */
export interface DraftTurn {
  readonly retailer?: Retailer;
  readonly parser?: OrderTextParser;
}

/** A request key: what a provider's message id fits in. */
const MAX_REQUEST_KEY = 256;

export function checkRequestKey(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_REQUEST_KEY) {
    throw new ValidationError(`requestKey must be a non-blank string of at most ${MAX_REQUEST_KEY} characters`, {
      field: 'requestKey',
    });
  }
  return value;
}

export interface ConfirmDraftCommand {
  readonly draftId: DraftId;
  readonly actor: Actor;
}

/**
 * What confirming answered:
 * - `PLACED`: the order (ROUTING, or ON_HOLD for review or `CREDIT_LIMIT`); `repeated` when the
 *   draft had been confirmed before (the same order, placed once). A `CREDIT_LIMIT` hold comes
 *   with the two ways on: `orderWhatFits`, a reduced draft within the available credit that
 *   cancels the held order when confirmed (null when nothing fits), or leave the order held for
 *   an operator to approve (`ReviewHeldOrder`), which needs nothing more from the shop.
 * - `PRICES_CHANGED`: a price moved since the draft was made; nothing was placed, and `draft`
 *   is a fresh draft at today's prices to confirm again.
 */
export type ConfirmDraftResult =
  | {
      readonly kind: 'PLACED';
      readonly draft: OrderDraft;
      readonly order: Order;
      readonly placed: PlacedOrder | null;
      readonly repeated: boolean;
      readonly orderWhatFits: OrderDraft | null;
    }
  | {
      readonly kind: 'PRICES_CHANGED';
      readonly previous: OrderDraft;
      readonly draft: OrderDraft;
      readonly changes: readonly PriceChangeOfLine[];
    };

export interface PriceChangeOfLine {
  readonly sku: string;
  readonly name: string;
  /** null: the line can no longer be priced (it is a question on the fresh draft). */
  readonly before: Money;
  readonly after: Money | null;
}

export function forbidOtherShop(actor: Actor, retailerId: RetailerId): void {
  if (actor.type === 'retailer' && actor.id !== retailerId) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'a shop drafts and confirms only its own orders', {
      actor: actor.type,
    });
  }
  if (actor.type === 'vendor') {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'vendors do not draft orders', { actor: actor.type });
  }
}

/**
 * Read a shop's message in that shop's context (its usual products, the catalog's defaults),
 * price what it understood from live offers, and keep the result as a draft to confirm:
 * the lines with price and how each was resolved, the questions with choices, the total,
 * and the shop's available credit before and after. Nothing is placed.
 */
export class DraftOrderFromText {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.PARTY_INACTIVE,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DRAFT_NOTHING_TO_ORDER,
  ] as const;

  private readonly ttlMs: number;
  private readonly historyMs: number;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly services: DraftServices,
  ) {
    this.ttlMs = positiveSetting(services.settings?.ttlMs ?? DEFAULT_DRAFT_TTL_MS, 'ttlMs');
    this.historyMs =
      positiveSetting(services.settings?.historyDays ?? DEFAULT_HISTORY_DAYS, 'historyDays') * MS_PER_DAY;
  }

  async execute(
    command: DraftOrderFromTextCommand,
    turn: DraftTurn = {},
  ): Promise<Outcome<OrderDraft, FailureCode<typeof DraftOrderFromText>>> {
    checkCommand(command);
    const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
    const actor = checkActor(command.actor);
    const source = command.source === undefined ? 'whatsapp' : checkOrderSource(command.source);
    const text = messageText(command.text);
    const requestKey = checkRequestKey(command.requestKey);
    const result = await runUseCase(DraftOrderFromText.failures, async () => {
      forbidOtherShop(actor, retailerId);
      if (requestKey !== null) {
        // Found before parsing: a second run neither drafts again nor pays for another parse.
        const drafted = await this.ctx.repos.orderDrafts.getByRequestKey(retailerId, requestKey);
        if (drafted) return drafted;
      }
      const now = this.ctx.clock.now();
      const retailer =
        turn.retailer?.id === retailerId
          ? turn.retailer
          : required(await this.ctx.repos.retailers.get(retailerId), 'retailer', retailerId);
      if (retailer.status !== 'ACTIVE') {
        throw new DomainError('illegal_state', ErrorCodes.PARTY_INACTIVE, `retailer is ${retailer.status}`, {
          retailerId,
          status: retailer.status,
        });
      }
      const [history, defaults] = await Promise.all([
        this.ctx.repos.orders.recentPurchases(retailerId, new Date(now.getTime() - this.historyMs), HISTORY_LIMIT),
        this.ctx.repos.catalogDefaults.list(),
      ]);
      const parsed = await (turn.parser ?? this.services.parser).parse(text, { history, defaults });
      if (parsed.intent !== 'order' || parsed.lines.length === 0) throw nothingToOrder(parsed.intent, 0);
      return this.ctx.uow.run(
        async (tx) => {
          const draft = await priceDraft(tx, this.ctx, {
            retailerId,
            area: retailer.area,
            text,
            source,
            parsed: parsed.lines,
            now,
            ttlMs: this.ttlMs,
            replacesOrderId: null,
          });
          await tx.orderDrafts.insert(draft, requestKey);
          return draft;
        },
        { label: 'draft-order' },
      );
    });
    if (result.ok) {
      this.ctx.logger.info('order drafted', {
        draftId: result.value.id,
        retailerId,
        lines: result.value.lines.length,
        questions: result.value.questions.length,
        total: result.value.total.amount,
      });
    }
    return result;
  }
}

/**
 * Place a draft through `PlaceOrder`, once: the draft is locked, so a second confirmation
 * (also a concurrent one) waits and answers with the order the first placed. A draft whose
 * prices moved is not placed: the answer is a fresh draft at today's prices. An expired draft
 * is `DRAFT.EXPIRED`; one with no priced line `DRAFT.NOTHING_TO_ORDER`. Only the draft's priced
 * lines are ordered; its open questions are not part of the order.
 */
export class ConfirmDraft {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.PARTY_INACTIVE,
    ErrorCodes.ORDER_INVALID_LINES,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DRAFT_EXPIRED,
    ErrorCodes.DRAFT_NOTHING_TO_ORDER,
    ErrorCodes.DRAFT_STALE,
  ] as const;

  private readonly ttlMs: number;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly services: DraftServices,
  ) {
    this.ttlMs = positiveSetting(services.settings?.ttlMs ?? DEFAULT_DRAFT_TTL_MS, 'ttlMs');
  }

  async execute(command: ConfirmDraftCommand): Promise<Outcome<ConfirmDraftResult, FailureCode<typeof ConfirmDraft>>> {
    checkCommand(command);
    const draftId = checkId<DraftId>(command.draftId, 'draftId');
    const actor = checkActor(command.actor);
    const result = await runUseCase(ConfirmDraft.failures, () =>
      this.ctx.uow.run((tx) => this.confirm(tx, draftId, actor), { label: 'confirm-draft' }),
    );
    if (result.ok) {
      const r = result.value;
      this.ctx.logger.info('draft confirmed', {
        draftId,
        outcome: r.kind,
        ...(r.kind === 'PLACED'
          ? { orderId: r.order.id, status: r.order.status, repeated: r.repeated }
          : { freshDraftId: r.draft.id }),
      });
    }
    return result;
  }

  private async confirm(tx: TransactionScope, draftId: DraftId, actor: Actor): Promise<ConfirmDraftResult> {
    const draft = required(await tx.orderDrafts.getForUpdate(draftId), 'draft', draftId);
    forbidOtherShop(actor, draft.retailerId);
    if (draft.status === 'CONFIRMED' && draft.orderId !== null) {
      const order = required(await tx.orders.get(draft.orderId), 'order', draft.orderId);
      return { kind: 'PLACED', draft, order, placed: null, repeated: true, orderWhatFits: null };
    }
    if (draft.status === 'SUPERSEDED' && draft.supersededBy !== null) {
      // Asked again: the same answer, the fresh draft that replaced it.
      const fresh = required(await tx.orderDrafts.get(draft.supersededBy), 'draft', draft.supersededBy);
      return { kind: 'PRICES_CHANGED', previous: draft, draft: fresh, changes: [] };
    }
    const now = this.ctx.clock.now();
    if (isDraftExpired(draft, now)) {
      throw new DomainError('illegal_state', ErrorCodes.DRAFT_EXPIRED, 'this draft has expired: send the order again', {
        draftId,
        expiredAt: draft.expiresAt.toISOString(),
      });
    }
    if (draft.lines.length === 0) throw nothingToOrder('order', draft.questions.length);

    const retailer = required(await tx.retailers.get(draft.retailerId), 'retailer', draft.retailerId);
    const requests = draft.lines.map((l) => requestOf(l.line));
    const market = await loadMarket(
      tx,
      retailer.area,
      draft.lines.map((l) => l.line.productId),
    );
    const changes = priceChanges(draft, requests, market);
    if (changes.length > 0) {
      const fresh = await repriceDraft(tx, this.ctx, draft, market, now, this.ttlMs);
      await tx.orderDrafts.insert(fresh);
      await tx.orderDrafts.update({ ...draft, status: 'SUPERSEDED', supersededBy: fresh.id });
      return { kind: 'PRICES_CHANGED', previous: draft, draft: fresh, changes };
    }

    if (draft.replacesOrderId !== null) await cancelHeldOrder(tx, this.ctx, draft.replacesOrderId, actor, now);
    const placed = await this.services.placeOrder.placeWithin(tx, {
      retailerId: draft.retailerId,
      lines: requests,
      source: draft.source,
      note: null,
      actor,
    });
    if (!pricedAsDrafted(draft, placed.order)) {
      // An offer committed between the comparison above and PlaceOrder's own read: the order
      // would charge a price the shop never saw. Rolled back; the unit of work runs the
      // confirmation again, which then finds the change and answers PRICES_CHANGED.
      throw new ConcurrencyError('a price changed while the draft was confirmed', { draftId });
    }
    const confirmed: OrderDraft = { ...draft, status: 'CONFIRMED', orderId: placed.order.id };
    await tx.orderDrafts.update(confirmed);
    let orderWhatFits: OrderDraft | null = null;
    if (placed.holdReason === 'CREDIT_LIMIT' && placed.creditExceeded) {
      orderWhatFits = fittingDraft(this.ctx, confirmed, placed, market, now, this.ttlMs);
      if (orderWhatFits) await tx.orderDrafts.insert(orderWhatFits);
    }
    return { kind: 'PLACED', draft: confirmed, order: placed.order, placed, repeated: false, orderWhatFits };
  }
}

export interface ReviseDraftCommand {
  readonly draftId: DraftId;
  /** Which of the draft's questions is answered (its index in `questions`). */
  readonly question: number;
  /** One of that question's `choices`. */
  readonly productId: ProductId;
  readonly actor: Actor;
}

/**
 * A shop answers one of a draft's questions by picking one of its choices: the draft is
 * replaced (SUPERSEDED) by a fresh one with that product as a line, at the question's
 * quantity and unit, and every line priced again from today's offers; the other questions
 * stay. Answered again (the draft already replaced), it answers the draft that replaced it.
 * Only a choice the question offered is taken: anything else is `VALIDATION.INVALID_COMMAND`.
 */
export class ReviseDraft {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DRAFT_EXPIRED,
    ErrorCodes.DRAFT_STALE,
    ErrorCodes.INVALID_COMMAND,
  ] as const;

  private readonly ttlMs: number;

  constructor(
    private readonly ctx: UseCaseContext,
    services: DraftServices,
  ) {
    this.ttlMs = positiveSetting(services.settings?.ttlMs ?? DEFAULT_DRAFT_TTL_MS, 'ttlMs');
  }

  async execute(command: ReviseDraftCommand): Promise<Outcome<OrderDraft, FailureCode<typeof ReviseDraft>>> {
    checkCommand(command);
    const draftId = checkId<DraftId>(command.draftId, 'draftId');
    const productId = checkId<ProductId>(command.productId, 'productId');
    const actor = checkActor(command.actor);
    if (!Number.isSafeInteger(command.question) || command.question < 0) {
      throw new ValidationError(
        "question must be the index of one of the draft's questions",
        { field: 'question' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const result = await runUseCase(ReviseDraft.failures, () =>
      this.ctx.uow.run((tx) => this.revise(tx, draftId, command.question, productId, actor), { label: 'revise-draft' }),
    );
    if (result.ok) {
      this.ctx.logger.info('draft revised', { draftId, freshDraftId: result.value.id, productId });
    }
    return result;
  }

  private async revise(
    tx: TransactionScope,
    draftId: DraftId,
    index: number,
    productId: ProductId,
    actor: Actor,
  ): Promise<OrderDraft> {
    const draft = required(await tx.orderDrafts.getForUpdate(draftId), 'draft', draftId);
    forbidOtherShop(actor, draft.retailerId);
    if (draft.status === 'SUPERSEDED' && draft.supersededBy !== null) {
      return required(await tx.orderDrafts.get(draft.supersededBy), 'draft', draft.supersededBy);
    }
    if (draft.status !== 'OPEN') {
      throw new DomainError('conflict', ErrorCodes.DRAFT_STALE, 'this draft was confirmed: it cannot be changed', {
        draftId,
        status: draft.status,
      });
    }
    const now = this.ctx.clock.now();
    if (isDraftExpired(draft, now)) {
      throw new DomainError('illegal_state', ErrorCodes.DRAFT_EXPIRED, 'this draft has expired: send the order again', {
        draftId,
        expiredAt: draft.expiresAt.toISOString(),
      });
    }
    const question = draft.questions[index];
    if (!question?.choices.some((c) => c.productId === productId)) {
      throw new ValidationError(
        "the answer must be one of the choices of one of the draft's questions",
        { field: 'productId', question: index },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const retailer = required(await tx.retailers.get(draft.retailerId), 'retailer', draft.retailerId);
    const parsed: ParsedOrderLine[] = draft.lines.map((l) => ({
      raw: l.raw,
      mention: l.line.name,
      quantity: l.line.quantity.value,
      unit: l.line.quantity.unit,
      confidence: 1,
      suggestions: [],
      productId: l.line.productId,
      resolvedBy: l.resolvedBy,
      needsClarification: false,
      clarification: null,
    }));
    parsed.push({
      raw: question.raw,
      mention: question.mention,
      quantity: question.quantity,
      unit: question.unit,
      confidence: 1,
      suggestions: [],
      productId,
      // The shop named it by picking it.
      resolvedBy: 'match',
      needsClarification: false,
      clarification: null,
    });
    const repriced = await priceDraft(tx, this.ctx, {
      retailerId: draft.retailerId,
      area: retailer.area,
      text: draft.text,
      source: draft.source,
      parsed,
      now,
      ttlMs: this.ttlMs,
      replacesOrderId: draft.replacesOrderId,
    });
    const fresh: OrderDraft = {
      ...repriced,
      questions: [...draft.questions.filter((_, i) => i !== index), ...repriced.questions],
    };
    await tx.orderDrafts.insert(fresh);
    await tx.orderDrafts.update({ ...draft, status: 'SUPERSEDED', supersededBy: fresh.id });
    return fresh;
  }
}

/**
 * Housekeeping for a scheduled job: delete drafts that expired more than `retentionMs` ago and
 * were never confirmed, at most `batchSize` (default 1,000). A confirmed draft stays: it is the
 * record that its order came from that message.
 */
export class PurgeExpiredDrafts {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: {
    readonly retentionMs: number;
    readonly batchSize?: number;
  }): Promise<Outcome<{ readonly drafts: number }, never>> {
    checkCommand(cmd);
    const batch = cmd.batchSize ?? 1000;
    if (!Number.isSafeInteger(cmd.retentionMs) || cmd.retentionMs < 0) {
      throw new ValidationError(
        'retentionMs must be a whole number of ms, 0 or more',
        { field: 'retentionMs' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > 10_000) {
      throw new ValidationError('batchSize must be 1-10000', { field: 'batchSize' }, ErrorCodes.INVALID_COMMAND);
    }
    const before = new Date(this.ctx.clock.now().getTime() - cmd.retentionMs);
    return runUseCase(PurgeExpiredDrafts.failures, async () => {
      const drafts = await this.ctx.repos.orderDrafts.deleteExpired(before, batch);
      if (drafts > 0) this.ctx.logger.info('expired drafts purged', { drafts });
      return { drafts };
    });
  }
}

// ---- pricing -----------------------------------------------------------------------------

interface Market {
  readonly products: Map<string, Product>;
  readonly offers: readonly VendorOffer[];
  readonly vendors: readonly Vendor[];
}

async function loadMarket(tx: TransactionScope, area: string, productIds: readonly ProductId[]): Promise<Market> {
  const ids = [...new Set(productIds)];
  const [products, offers, vendors] = await Promise.all([
    tx.products.getMany(ids),
    tx.offers.listActiveForProducts(ids),
    tx.vendors.listActiveServing(area),
  ]);
  return { products: new Map(products.map((p) => [p.id, p])), offers, vendors };
}

/** One request priced alone: its line, or why it cannot be priced now. */
function quoteOne(request: OrderLineRequest, market: Market): OrderLine | { code: string; message: string } {
  const quoted = quoteOrderLines([request], market.products, market.offers, market.vendors);
  if (quoted.ok) return quoted.value[0] as OrderLine;
  const problem = quoted.error[0];
  return { code: problem?.code ?? 'UNKNOWN_PRODUCT', message: problem?.message ?? 'cannot be priced' };
}

/** Shared with `AnswerShopMessage` (a repeated order is priced as a draft the same way). */
export interface DraftInput {
  readonly retailerId: RetailerId;
  readonly area: string;
  readonly text: string;
  readonly source: OrderSource;
  readonly parsed: readonly ParsedOrderLine[];
  readonly now: Date;
  readonly ttlMs: number;
  readonly replacesOrderId: OrderId | null;
}

export async function priceDraft(tx: TransactionScope, ctx: UseCaseContext, input: DraftInput): Promise<OrderDraft> {
  // The products a question would offer are read with the rest: only those sold here are offered.
  const products = input.parsed.flatMap((l) =>
    l.needsClarification ? l.suggestions.map((s) => s.productId) : [l.productId],
  );
  const market = await loadMarket(tx, input.area, products);
  const lines: DraftLine[] = [];
  const questions: DraftQuestion[] = [];
  const seen = new Set<ProductId>();
  for (const p of input.parsed) {
    if (p.needsClarification) {
      questions.push(clarification(p, market));
      continue;
    }
    if (seen.has(p.productId)) {
      questions.push(questionOf(p, 'DUPLICATE_PRODUCT', 'this product is already on the order: say the total once'));
      continue;
    }
    const quoted = quoteOne({ productId: p.productId, quantity: p.quantity, unit: p.unit }, market);
    if ('code' in quoted) {
      // A pick keeps the line's quantity and unit: the product that just failed would fail again,
      // and no other product mends a quantity that is not one (0, negative).
      // The alternatives are read only now: a line that prices (the hot path) needs none.
      const alternatives = p.suggestions.filter((s) => s.productId !== p.productId);
      const others =
        quoted.code === 'INVALID_QUANTITY' || alternatives.length === 0
          ? []
          : soldHere(
              alternatives,
              await loadMarket(
                tx,
                input.area,
                alternatives.map((s) => s.productId),
              ),
            );
      questions.push(questionOf({ ...p, suggestions: others }, quoted.code as DraftQuestion['reason'], quoted.message));
      continue;
    }
    seen.add(p.productId);
    lines.push({ raw: p.raw, line: quoted, resolvedBy: p.resolvedBy });
  }
  return withCredit(tx, ctx, {
    retailerId: input.retailerId,
    text: input.text,
    source: input.source,
    lines,
    questions,
    now: input.now,
    ttlMs: input.ttlMs,
    replacesOrderId: input.replacesOrderId,
  });
}

interface Unpriced {
  readonly retailerId: RetailerId;
  readonly text: string;
  readonly source: OrderSource;
  readonly lines: readonly DraftLine[];
  readonly questions: readonly DraftQuestion[];
  readonly now: Date;
  readonly ttlMs: number;
  readonly replacesOrderId: OrderId | null;
}

/** The shop's available credit now, as `PlaceOrder` will count it, before and after this draft. */
async function withCredit(tx: TransactionScope, ctx: UseCaseContext, d: Unpriced): Promise<OrderDraft> {
  const account = required(await tx.credit.get(d.retailerId), 'credit account', d.retailerId);
  const exposure = await tx.orders.pendingExposure(d.retailerId, account.currency);
  const availableBefore = account.available(exposure);
  return assemble(ctx, d, availableBefore);
}

function assemble(ctx: UseCaseContext, d: Unpriced, availableBefore: Money): OrderDraft {
  const total = Money.sum(
    d.lines.map((l) => l.line.lineTotal),
    availableBefore.currency,
  );
  return {
    id: ctx.ids.next() as DraftId,
    retailerId: d.retailerId,
    text: d.text,
    source: d.source,
    lines: d.lines,
    questions: d.questions,
    total,
    availableBefore,
    availableAfter: availableBefore.subtract(total),
    replacesOrderId: d.replacesOrderId,
    status: 'OPEN',
    orderId: null,
    supersededBy: null,
    createdAt: d.now,
    expiresAt: new Date(d.now.getTime() + d.ttlMs),
  };
}

function questionOf(p: ParsedOrderLine, reason: DraftQuestion['reason'], message: string | null): DraftQuestion {
  return {
    raw: p.raw,
    mention: p.mention,
    quantity: p.quantity,
    unit: p.unit,
    reason,
    message,
    choices: p.suggestions.slice(0, MAX_CHOICES).map((s) => ({ ...s })),
  };
}

/** The suggestions a live offer (active, in stock, of an active vendor serving the area) sells here. */
function soldHere(suggestions: readonly ProductSuggestion[], market: Market): ProductSuggestion[] {
  const serving = new Set(market.vendors.filter((v) => v.status === 'ACTIVE').map((v) => v.id));
  return suggestions.filter(
    (s) =>
      market.products.get(s.productId)?.active === true &&
      market.offers.some(
        (o) => o.productId === s.productId && o.active && o.stockOnHand > 0 && serving.has(o.vendorId),
      ),
  );
}

const QUANTITY_QUESTIONS: ReadonlySet<DraftQuestion['reason']> = new Set(['MISSING_QUANTITY', 'UNCLEAR_QUANTITY']);

/**
 * A line to clarify, offering only the parser's choices that a live offer (active, in stock, of
 * an active vendor serving the area) sells to this shop: a choice nobody sells here could only
 * be answered "not sold in your area". With choices and none sold here, that is the answer.
 */
function clarification(p: UnclearOrderLine, market: Market): DraftQuestion {
  const sold = soldHere(p.suggestions, market);
  if (p.suggestions.length > 0 && sold.length === 0)
    return questionOf({ ...p, suggestions: [] }, 'NOT_AVAILABLE_IN_AREA', 'none of its products is sold in your area');
  // How many is the question, not which product: a pick would order the parser's stand-in
  // quantity (1 when none was written, 2 for "-2"), which the shop never said. It writes again.
  if (QUANTITY_QUESTIONS.has(p.clarification)) return questionOf({ ...p, suggestions: [] }, p.clarification, null);
  return questionOf({ ...p, suggestions: sold }, p.clarification, null);
}

function requestOf(line: OrderLine): OrderLineRequest {
  return { productId: line.productId, quantity: line.quantity.value, unit: line.quantity.unit };
}

/** Lines whose price today differs from the draft's (or that cannot be priced any more). */
function priceChanges(draft: OrderDraft, requests: readonly OrderLineRequest[], market: Market): PriceChangeOfLine[] {
  const changes: PriceChangeOfLine[] = [];
  draft.lines.forEach((l, i) => {
    const now = quoteOne(requests[i] as OrderLineRequest, market);
    const same =
      !('code' in now) &&
      now.unitPrice.equals(l.line.unitPrice) &&
      now.priceUnit === l.line.priceUnit &&
      now.lineTotal.equals(l.line.lineTotal);
    if (!same) {
      changes.push({
        sku: l.line.sku,
        name: l.line.name,
        before: l.line.lineTotal,
        after: 'code' in now ? null : now.lineTotal,
      });
    }
  });
  return changes;
}

/** The order charges exactly what the draft showed, line by line. */
function pricedAsDrafted(draft: OrderDraft, order: Order): boolean {
  if (!order.total.equals(draft.total) || order.lines.length !== draft.lines.length) return false;
  return draft.lines.every((l, i) => {
    const placed = order.lines[i];
    return (
      placed !== undefined &&
      placed.productId === l.line.productId &&
      placed.unitPrice.equals(l.line.unitPrice) &&
      placed.priceUnit === l.line.priceUnit &&
      placed.lineTotal.equals(l.line.lineTotal)
    );
  });
}

/** The same lines and questions at today's prices: what the shop confirms instead. */
async function repriceDraft(
  tx: TransactionScope,
  ctx: UseCaseContext,
  draft: OrderDraft,
  market: Market,
  now: Date,
  ttlMs: number,
): Promise<OrderDraft> {
  const lines: DraftLine[] = [];
  const questions: DraftQuestion[] = [...draft.questions];
  for (const l of draft.lines) {
    const quoted = quoteOne(requestOf(l.line), market);
    if ('code' in quoted) {
      questions.push({
        raw: l.raw,
        mention: l.line.name,
        quantity: l.line.quantity.value,
        unit: l.line.quantity.unit,
        reason: quoted.code as DraftQuestion['reason'],
        message: quoted.message,
        choices: [],
      });
    } else {
      lines.push({ ...l, line: quoted });
    }
  }
  return withCredit(tx, ctx, {
    retailerId: draft.retailerId,
    text: draft.text,
    source: draft.source,
    lines,
    questions,
    now,
    ttlMs,
    replacesOrderId: draft.replacesOrderId,
  });
}

/**
 * "Order what fits": the held draft's lines in the shop's order, each whole while it fits the
 * available credit, the first that does not fit cut to the most whole units (of the shop's
 * unit) that do and that an offer still serves, and the rest left out. Null when not even one
 * unit fits. Priced from the same offers the held order was just priced from.
 */
function fittingDraft(
  ctx: UseCaseContext,
  held: OrderDraft,
  placed: PlacedOrder,
  market: Market,
  now: Date,
  ttlMs: number,
): OrderDraft | null {
  const available = placed.creditExceeded?.available ?? Money.zero(held.total.currency);
  let left = available;
  const lines: DraftLine[] = [];
  for (const [i, line] of placed.order.lines.entries()) {
    const source = held.lines[i] as DraftLine;
    if (!line.lineTotal.greaterThan(left)) {
      lines.push({ ...source, line });
      left = left.subtract(line.lineTotal);
      continue;
    }
    const cut = largestWholeFit(line, left, market);
    if (cut) {
      lines.push({ ...source, line: cut });
      left = left.subtract(cut.lineTotal);
    }
    break;
  }
  if (lines.length === 0) return null;
  return assemble(
    ctx,
    {
      retailerId: held.retailerId,
      text: held.text,
      source: held.source,
      lines,
      questions: held.questions,
      now,
      ttlMs,
      replacesOrderId: placed.order.id,
    },
    // The held order reserves no credit, so what was available for it is available for this.
    available,
  );
}

/** The line at the most whole units whose quoted total fits `budget`, or null. */
function largestWholeFit(line: OrderLine, budget: Money, market: Market): OrderLine | null {
  const perUnit = line.lineTotal.amount / line.quantity.value;
  const start = Math.min(Math.ceil(line.quantity.value) - 1, perUnit > 0 ? Math.floor(budget.amount / perUnit) + 1 : 0);
  for (let units = start; units >= 1; units--) {
    const quoted = quoteOne({ productId: line.productId, quantity: units, unit: line.quantity.unit }, market);
    // Below the vendor's minimum: fewer units will not do either.
    if ('code' in quoted) return null;
    if (!quoted.lineTotal.greaterThan(budget)) return quoted;
  }
  return null;
}

async function cancelHeldOrder(
  tx: TransactionScope,
  ctx: UseCaseContext,
  orderId: OrderId,
  actor: Actor,
  now: Date,
): Promise<void> {
  const order = required(await tx.orders.get(orderId), 'order', orderId);
  if (order.status !== 'ON_HOLD' || order.holdReason !== 'CREDIT_LIMIT') {
    throw new DomainError('conflict', ErrorCodes.DRAFT_STALE, 'the held order this draft replaces is no longer held', {
      orderId,
      status: order.status,
    });
  }
  order.cancel(actor.type === 'retailer' ? actor : SYSTEM_ACTOR, now, 'replaced by a smaller order that fits');
  await persist(tx, { orders: [order] });
  ctx.logger.info('held order replaced by what fits', { orderId });
}

function nothingToOrder(intent: MessageIntent, questions: number): DomainError {
  return new DomainError('validation', ErrorCodes.DRAFT_NOTHING_TO_ORDER, 'nothing in this message can be ordered', {
    intent,
    questions,
  });
}

export function messageText(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ValidationError('text must be a string', { field: 'text' }, ErrorCodes.INVALID_COMMAND);
  }
  const text = value.trim();
  if (text.length === 0) throw new ValidationError('text is required', { field: 'text' }, ErrorCodes.TEXT_REQUIRED);
  if (text.length > MAX_DRAFT_TEXT_LENGTH) {
    throw new ValidationError(
      `text must be at most ${MAX_DRAFT_TEXT_LENGTH} characters`,
      { field: 'text', max: MAX_DRAFT_TEXT_LENGTH },
      ErrorCodes.TEXT_TOO_LONG,
    );
  }
  return text;
}

export function positiveSetting(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`${field} must be a positive number`, { field }, ErrorCodes.OUT_OF_RANGE);
  }
  return value;
}
