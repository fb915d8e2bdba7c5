import { addDays } from '../shared/clock.js';
import { type DomainEvent, domainEvent, EventTypes } from '../events/event-catalog.js';
import { type Actor, actorToJson, requireStaff, SYSTEM_ACTOR } from '../shared/domain-event.js';
import { ConflictError, ErrorCodes, invariant, ValidationError } from '../shared/errors.js';
import type { IdGenerator, LedgerEntryId, OrderId, RetailerId } from '../shared/ids.js';
import { type CurrencyCode, Money } from '../shared/money.js';
import { err, ok, type Result } from '../shared/result.js';
import { noteText, requireText } from '../shared/text.js';
import { type Aging, ageOpenItems, daysPastDue } from './aging.js';
import type { OpenItem } from './open-item.js';
import { type Allocation, balanceEffect, holdEffect, type LedgerEntry, type LedgerEntryType } from './ledger-entry.js';
import { requireLedgerAmount } from './ledger-bounds.js';

export type { OpenItem };

export interface ActiveHold {
  readonly orderId: OrderId;
  readonly entryId: LedgerEntryId;
  readonly amount: Money;
  readonly placedAt: Date;
}

export interface CreditAccountHeader {
  readonly retailerId: RetailerId;
  readonly currency: CurrencyCode;
  readonly creditLimit: Money;
  readonly netTermsDays: number;
  readonly createdAt: Date;
}

/** The account as stored: a projection of its ledger, kept in step by `apply`. */
export interface CreditAccountState extends CreditAccountHeader {
  /** An operator or admin chose the current limit: scoring recommends but does not overwrite it. */
  readonly limitSetManually: boolean;
  /** What the retailer owes (negative when it has paid in advance). */
  readonly balance: Money;
  readonly held: Money;
  /** Credits not matched to any debit yet (> 0 only when there are no open items). */
  readonly unappliedCredit: Money;
  readonly openItems: readonly OpenItem[];
  readonly holds: readonly ActiveHold[];
  readonly lastSequence: number;
  readonly version: number;
  readonly updatedAt: Date;
}

export interface CreditLimitExceeded {
  readonly code: typeof ErrorCodes.CREDIT_LIMIT_EXCEEDED;
  readonly requested: Money;
  readonly available: Money;
}

export interface SettledDebit {
  readonly entryId: LedgerEntryId;
  readonly orderId: OrderId | null;
  readonly amount: Money;
  readonly fullySettled: boolean;
}

const MAX_NET_TERMS_DAYS = 180;

/**
 * A retailer's credit account: an append-only ledger and the projection derived from it.
 * Every mutation creates entries and applies them through `apply`, the same function
 * `replay` uses, so the stored projection and the ledger cannot disagree.
 */
export class CreditAccount {
  private state: CreditAccountState;
  private newEntries: LedgerEntry[] = [];
  private events: DomainEvent[] = [];

  private constructor(state: CreditAccountState) {
    this.state = state;
  }

  static open(header: CreditAccountHeader): CreditAccount {
    if (header.creditLimit.isNegative() || header.creditLimit.currency !== header.currency) {
      throw new ValidationError('credit limit must be ≥ 0 in the account currency');
    }
    requireLedgerAmount(header.creditLimit, 'creditLimit');
    validateTerms(header.netTermsDays);
    const zero = Money.zero(header.currency);
    return new CreditAccount({
      ...header,
      balance: zero,
      held: zero,
      unappliedCredit: zero,
      limitSetManually: false,
      openItems: [],
      holds: [],
      lastSequence: 0,
      version: 0,
      updatedAt: header.createdAt,
    });
  }

  static restore(state: CreditAccountState): CreditAccount {
    return new CreditAccount(state);
  }

  /**
   * Rebuild from the ledger alone, re-deriving every allocation and checking it against
   * the recorded one. Used to audit a stored projection.
   */
  static replay(header: CreditAccountHeader, entries: readonly LedgerEntry[]): CreditAccount {
    const account = CreditAccount.open(header);
    const sorted = [...entries].sort((a, b) => a.sequence - b.sequence);
    for (const entry of sorted) {
      invariant(entry.sequence === account.state.lastSequence + 1, 'ledger sequence has a gap', {
        expected: account.state.lastSequence + 1,
        found: entry.sequence,
      });
      const expected = account.allocationsFor(entry.type, entry.amount, entry.id);
      invariant(sameAllocations(expected, entry.allocations), 'recorded allocations differ from the ledger rules', {
        entryId: entry.id,
      });
      account.apply(entry);
    }
    return account;
  }

  snapshot(): CreditAccountState {
    return this.state;
  }

  /** What `replay` starts from: audit a stored account with `CreditAccount.replay(a.header(), entries)`. */
  header(): CreditAccountHeader {
    const { retailerId, currency, creditLimit, netTermsDays, createdAt } = this.state;
    return { retailerId, currency, creditLimit, netTermsDays, createdAt };
  }

  /** For repositories: the stored version after a successful save. */
  markPersisted(version: number): void {
    this.state = { ...this.state, version };
  }

  pullNewEntries(): LedgerEntry[] {
    const out = this.newEntries;
    this.newEntries = [];
    return out;
  }

  pullEvents(): DomainEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  get retailerId(): RetailerId {
    return this.state.retailerId;
  }
  get currency(): CurrencyCode {
    return this.state.currency;
  }
  get creditLimit(): Money {
    return this.state.creditLimit;
  }
  get netTermsDays(): number {
    return this.state.netTermsDays;
  }
  get version(): number {
    return this.state.version;
  }

  /** What the retailer owes now (negative = credit in its favour). */
  outstanding(): Money {
    return this.state.balance;
  }

  held(): Money {
    return this.state.held;
  }

  /**
   * limit − outstanding − holds − `pendingExposure`, in BigInt so that reading it never throws.
   * Beyond ±MAX_SAFE_INTEGER it is clamped: no order can come near that (MAX_LEDGER_AMOUNT),
   * so the clamp changes no decision.
   */
  available(pendingExposure: Money = Money.zero(this.currency)): Money {
    const s = this.state;
    sameCurrency(pendingExposure, this.currency);
    const exact = big(s.creditLimit) - big(s.balance) - big(s.held) - big(pendingExposure);
    return Money.of(clampSafe(exact), this.currency);
  }

  /**
   * May `amount` be committed, given `pendingExposure` (orders accepted but not yet held)?
   * An expected outcome, so a value rather than an exception.
   */
  checkAvailable(
    amount: Money,
    pendingExposure: Money = Money.zero(this.currency),
  ): Result<Money, CreditLimitExceeded> {
    const available = this.available(pendingExposure);
    if (amount.greaterThan(available)) {
      return err({ code: ErrorCodes.CREDIT_LIMIT_EXCEEDED, requested: amount, available });
    }
    return ok(Money.of(clampSafe(big(available) - big(amount)), this.currency));
  }

  utilisation(pendingExposure: Money = Money.zero(this.currency)): number {
    sameCurrency(pendingExposure, this.currency);
    const used = big(this.state.balance) + big(this.state.held) + big(pendingExposure);
    if (this.state.creditLimit.isZero()) return used > 0n ? 1 : 0;
    return Math.max(0, Number(used) / this.state.creditLimit.amount);
  }

  openItems(): readonly OpenItem[] {
    return this.state.openItems;
  }

  holds(): readonly ActiveHold[] {
    return this.state.holds;
  }

  holdFor(orderId: OrderId): ActiveHold | undefined {
    return this.state.holds.find((h) => h.orderId === orderId);
  }

  aging(asOf: Date): Aging {
    return ageOpenItems(this.state.openItems, asOf, this.currency);
  }

  /** The worst lateness among open debits (0 when nothing is overdue). */
  daysPastDue(asOf: Date): number {
    return this.state.openItems.reduce((max, i) => Math.max(max, daysPastDue(i.dueAt, asOf)), 0);
  }

  overdueAmount(asOf: Date): Money {
    return Money.sum(
      this.state.openItems.filter((i) => daysPastDue(i.dueAt, asOf) > 0).map((i) => i.remaining),
      this.currency,
    );
  }

  isOrderInvoiceSettled(orderId: OrderId): boolean {
    return !this.state.openItems.some((i) => i.orderId === orderId);
  }

  // ---- commands --------------------------------------------------------------------------

  /** Reserve credit for a confirmed order. One hold per order. */
  placeHold(orderId: OrderId, amount: Money, actor: Actor, at: Date, ids: IdGenerator): LedgerEntry {
    if (this.holdFor(orderId)) {
      throw new ConflictError('order already has a credit hold', { orderId }, ErrorCodes.CREDIT_DUPLICATE_ENTRY);
    }
    requirePositive(amount, this.currency);
    const entry = this.append('HOLD', amount, { orderId, actor, at, ids });
    this.raise(
      domainEvent(EventTypes.CREDIT_HOLD_PLACED, this.retailerId, at, {
        retailerId: this.retailerId,
        orderId,
        amount: amount.amount,
        currency: amount.currency,
      }),
    );
    return entry;
  }

  /** Free an order's hold (cancelled order); null when the order had none. */
  releaseHold(
    orderId: OrderId,
    actor: Actor,
    at: Date,
    ids: IdGenerator,
    note: string | null = null,
  ): LedgerEntry | null {
    const hold = this.holdFor(orderId);
    if (!hold) return null;
    const entry = this.append('RELEASE', hold.amount, { orderId, actor, at, ids, note });
    this.raise(
      domainEvent(EventTypes.CREDIT_HOLD_RELEASED, this.retailerId, at, {
        retailerId: this.retailerId,
        orderId,
        amount: hold.amount.amount,
        currency: hold.amount.currency,
      }),
    );
    return entry;
  }

  /** Delivered: the hold becomes an invoice due after the net terms. */
  invoiceOrder(
    orderId: OrderId,
    amount: Money,
    actor: Actor,
    at: Date,
    ids: IdGenerator,
  ): { invoice: LedgerEntry; release: LedgerEntry | null } {
    if (this.state.openItems.some((i) => i.orderId === orderId && i.type === 'INVOICE')) {
      throw new ConflictError('order is already invoiced', { orderId }, ErrorCodes.CREDIT_DUPLICATE_ENTRY);
    }
    requirePositive(amount, this.currency);
    const release = this.releaseHold(orderId, actor, at, ids, 'converted to invoice');
    const dueAt = addDays(at, this.state.netTermsDays);
    const invoice = this.append('INVOICE', amount, { orderId, actor, at, ids, dueAt });
    this.raise(
      domainEvent(EventTypes.CREDIT_INVOICE_ISSUED, this.retailerId, at, {
        retailerId: this.retailerId,
        orderId,
        entryId: invoice.id,
        amount: amount.amount,
        currency: amount.currency,
        dueAt: dueAt.toISOString(),
      }),
    );
    return { invoice, release };
  }

  /** A payment, applied to the oldest debits first; any excess is kept as credit. */
  recordPayment(
    amount: Money,
    reference: string,
    actor: Actor,
    at: Date,
    ids: IdGenerator,
    note: string | null = null,
  ): { entry: LedgerEntry; settled: SettledDebit[] } {
    requirePositive(amount, this.currency);
    const ref = validReference(reference);
    const before = this.state.openItems;
    const entry = this.append('PAYMENT', amount, { actor, at, ids, reference: ref, note });
    const settled = this.settledBy(entry, before);
    this.raise(
      domainEvent(EventTypes.CREDIT_PAYMENT_RECORDED, this.retailerId, at, {
        retailerId: this.retailerId,
        entryId: entry.id,
        amount: amount.amount,
        currency: amount.currency,
        reference: ref,
        settledOrderIds: fullySettledOrderIds(settled),
      }),
    );
    return { entry, settled };
  }

  /**
   * A manual correction: positive is a debit note (due at once), negative a credit note
   * (applied to the oldest debits, like a payment). A note is required; a reference, when
   * given, makes the adjustment idempotent in the use case.
   */
  adjust(
    amount: Money,
    note: string,
    actor: Actor,
    at: Date,
    ids: IdGenerator,
    reference: string | null = null,
  ): { entry: LedgerEntry; settled: SettledDebit[] } {
    if (amount.currency !== this.currency || amount.isZero()) {
      throw new ValidationError('adjustment must be non-zero in the account currency');
    }
    requireLedgerAmount(amount, 'amount');
    if (note.trim().length === 0) throw new ValidationError('an adjustment needs a note');
    const ref = reference === null ? null : validReference(reference);
    const before = this.state.openItems;
    const entry = this.append('ADJUSTMENT', amount, {
      actor,
      at,
      ids,
      note: note.trim(),
      dueAt: at,
      ...(ref === null ? {} : { reference: ref }),
    });
    const settled = amount.isNegative() ? this.settledBy(entry, before) : [];
    this.raise(
      domainEvent(EventTypes.CREDIT_ADJUSTED, this.retailerId, at, {
        retailerId: this.retailerId,
        entryId: entry.id,
        amount: amount.amount,
        currency: amount.currency,
        note: note.trim(),
        reference: ref,
        settledOrderIds: fullySettledOrderIds(settled),
      }),
    );
    return { entry, settled };
  }

  /**
   * A limit chosen by a person (operator, admin): kept until a person changes it again or
   * hands it back to scoring with `releaseManualLimit`. The system actor sets no manual limit.
   */
  setCreditLimit(limit: Money, actor: Actor, at: Date, reason: string): void {
    requireStaff(actor, 'set a credit limit by hand');
    this.changeLimit(limit, actor, at, reason, true);
  }

  /** Scoring's recommendation; ignored (false) while a manual limit stands. */
  applyRecommendedLimit(limit: Money, at: Date, explanation: string): boolean {
    if (this.state.limitSetManually) return false;
    this.changeLimit(limit, SYSTEM_ACTOR, at, explanation, false);
    return true;
  }

  /** Let scoring move the limit again from its next run. */
  releaseManualLimit(actor: Actor, at: Date): void {
    requireStaff(actor, 'hand a credit limit back to scoring');
    if (!this.state.limitSetManually) return;
    this.state = { ...this.state, limitSetManually: false, updatedAt: at };
    this.raise(
      domainEvent(EventTypes.CREDIT_LIMIT_RELEASED_TO_SCORING, this.retailerId, at, {
        retailerId: this.retailerId,
        actor: actorToJson(actor),
      }),
    );
  }

  get limitSetManually(): boolean {
    return this.state.limitSetManually;
  }

  private changeLimit(limit: Money, actor: Actor, at: Date, reason: string, manual: boolean): void {
    if (limit.currency !== this.currency || limit.isNegative()) {
      throw new ValidationError('credit limit must be ≥ 0 in the account currency');
    }
    requireLedgerAmount(limit, 'creditLimit');
    const previous = this.state.creditLimit;
    if (previous.equals(limit) && this.state.limitSetManually === manual) return;
    this.state = { ...this.state, creditLimit: limit, limitSetManually: manual, updatedAt: at };
    this.raise(
      domainEvent(EventTypes.CREDIT_LIMIT_CHANGED, this.retailerId, at, {
        retailerId: this.retailerId,
        previous: previous.amount,
        limit: limit.amount,
        currency: limit.currency,
        reason,
        manual,
        actor: actorToJson(actor),
      }),
    );
  }

  /** New terms apply to invoices issued from now on; existing due dates stay. */
  setNetTerms(days: number, at: Date): void {
    validateTerms(days);
    const previous = this.state.netTermsDays;
    if (previous === days) return;
    this.state = { ...this.state, netTermsDays: days, updatedAt: at };
    this.raise(
      domainEvent(EventTypes.CREDIT_TERMS_CHANGED, this.retailerId, at, {
        retailerId: this.retailerId,
        previous,
        netTermsDays: days,
      }),
    );
  }

  // ---- the ledger rules ------------------------------------------------------------------

  private settledBy(entry: LedgerEntry, before: readonly OpenItem[]): SettledDebit[] {
    const byId = new Map(before.map((i) => [i.entryId, i]));
    return entry.allocations.map((a) => ({
      entryId: a.debitEntryId,
      orderId: byId.get(a.debitEntryId)?.orderId ?? null,
      amount: a.amount,
      fullySettled: !this.state.openItems.some((i) => i.entryId === a.debitEntryId),
    }));
  }

  private append(
    type: LedgerEntryType,
    amount: Money,
    opts: {
      actor: Actor;
      at: Date;
      ids: IdGenerator;
      orderId?: OrderId;
      reference?: string;
      dueAt?: Date;
      note?: string | null;
    },
  ): LedgerEntry {
    const id = opts.ids.next() as LedgerEntryId;
    const entry: LedgerEntry = {
      id,
      retailerId: this.state.retailerId,
      sequence: this.state.lastSequence + 1,
      type,
      amount,
      orderId: opts.orderId ?? null,
      reference: opts.reference ?? null,
      dueAt: opts.dueAt ?? null,
      allocations: this.allocationsFor(type, amount, id),
      // The ledger is append-only: what is bounded here can never grow past the bound later.
      note: noteText(opts.note),
      actor: opts.actor,
      createdAt: opts.at,
    };
    this.apply(entry);
    this.newEntries.push(entry);
    return entry;
  }

  /** Which debits a new entry settles (credits) or is settled by (debits meeting prepaid credit). */
  private allocationsFor(type: LedgerEntryType, amount: Money, entryId: LedgerEntryId): Allocation[] {
    const isDebit = type === 'INVOICE' || (type === 'ADJUSTMENT' && amount.isPositive());
    const isCredit = type === 'PAYMENT' || (type === 'ADJUSTMENT' && amount.isNegative());
    if (isDebit) {
      const fromCredit = this.state.unappliedCredit.min(amount);
      return fromCredit.isPositive() ? [{ debitEntryId: entryId, amount: fromCredit }] : [];
    }
    if (!isCredit) return [];
    let left = amount.abs();
    const out: Allocation[] = [];
    for (const item of oldestFirst(this.state.openItems)) {
      if (!left.isPositive()) break;
      const take = left.min(item.remaining);
      out.push({ debitEntryId: item.entryId, amount: take });
      left = left.subtract(take);
    }
    return out;
  }

  private apply(entry: LedgerEntry): void {
    const s = this.state;
    invariant(entry.amount.currency === s.currency, 'entry currency differs from the account', { entryId: entry.id });
    let openItems = [...s.openItems];
    let holds = [...s.holds];
    let unapplied = s.unappliedCredit;
    const allocated = Money.sum(
      entry.allocations.map((a) => a.amount),
      s.currency,
    );
    switch (entry.type) {
      case 'HOLD':
        invariant(
          entry.orderId !== null && !holds.some((h) => h.orderId === entry.orderId),
          'a HOLD needs an order without one',
          {
            entryId: entry.id,
          },
        );
        holds.push({
          orderId: entry.orderId as OrderId,
          entryId: entry.id,
          amount: entry.amount,
          placedAt: entry.createdAt,
        });
        break;
      case 'RELEASE': {
        const hold = holds.find((h) => h.orderId === entry.orderId);
        invariant(hold?.amount.equals(entry.amount) === true, 'a RELEASE must free exactly an active hold', {
          entryId: entry.id,
        });
        holds = holds.filter((h) => h.orderId !== entry.orderId);
        break;
      }
      case 'INVOICE':
      case 'ADJUSTMENT':
        if (entry.amount.isPositive()) {
          unapplied = unapplied.subtract(allocated);
          const remaining = entry.amount.subtract(allocated);
          if (remaining.isPositive()) {
            openItems.push({
              entryId: entry.id,
              orderId: entry.orderId,
              type: entry.type,
              original: entry.amount,
              remaining,
              issuedAt: entry.createdAt,
              dueAt: entry.dueAt ?? entry.createdAt,
              sequence: entry.sequence,
            });
          }
          break;
        }
        openItems = settle(openItems, entry.allocations);
        unapplied = unapplied.add(entry.amount.abs().subtract(allocated));
        break;
      case 'PAYMENT':
        openItems = settle(openItems, entry.allocations);
        unapplied = unapplied.add(entry.amount.subtract(allocated));
        break;
    }
    const balance = s.balance.add(balanceEffect(entry));
    const held = s.held.add(holdEffect(entry));
    this.state = {
      ...s,
      balance,
      held,
      unappliedCredit: unapplied,
      openItems,
      holds,
      lastSequence: entry.sequence,
      updatedAt: entry.createdAt,
    };
    const openTotal = Money.sum(
      openItems.map((i) => i.remaining),
      s.currency,
    );
    invariant(openTotal.subtract(unapplied).equals(balance), 'open items do not add up to the balance', {
      entryId: entry.id,
    });
    invariant(!unapplied.isNegative() && !held.isNegative(), 'negative unapplied credit or holds', {
      entryId: entry.id,
    });
  }

  private raise(event: DomainEvent): void {
    this.events.push(event);
  }
}

/** Oldest-invoice-first means by issue date: a debit note due today must not jump older invoices. */
function oldestFirst(items: readonly OpenItem[]): OpenItem[] {
  return [...items].sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.sequence - b.sequence);
}

function settle(items: OpenItem[], allocations: readonly Allocation[]): OpenItem[] {
  const byId = new Map(allocations.map((a) => [a.debitEntryId, a.amount]));
  return items
    .map((i) => {
      const paid = byId.get(i.entryId);
      return paid ? { ...i, remaining: i.remaining.subtract(paid) } : i;
    })
    .filter((i) => i.remaining.isPositive());
}

function sameAllocations(a: readonly Allocation[], b: readonly Allocation[]): boolean {
  return (
    a.length === b.length && a.every((x, i) => x.debitEntryId === b[i]?.debitEntryId && x.amount.equals(b[i].amount))
  );
}

function fullySettledOrderIds(settled: readonly SettledDebit[]): OrderId[] {
  return settled.flatMap((s) => (s.fullySettled && s.orderId !== null ? [s.orderId] : []));
}

function validReference(reference: string): string {
  return requireText(reference, 'reference', 100);
}

function requirePositive(amount: Money, currency: CurrencyCode): void {
  if (amount.currency !== currency || !amount.isPositive()) {
    throw new ValidationError('amount must be positive in the account currency', {
      amount: amount.amount,
      currency: amount.currency,
    });
  }
  requireLedgerAmount(amount, 'amount');
}

const big = (m: Money): bigint => BigInt(m.amount);

function sameCurrency(m: Money, currency: CurrencyCode): void {
  if (m.currency !== currency) {
    throw new ValidationError(
      `cannot combine ${currency} with ${m.currency}`,
      { left: currency, right: m.currency },
      ErrorCodes.MONEY_CURRENCY_MISMATCH,
    );
  }
}

function clampSafe(value: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value > max ? max : value < -max ? -max : value);
}

function validateTerms(days: number): void {
  if (!Number.isSafeInteger(days) || days < 0 || days > MAX_NET_TERMS_DAYS) {
    throw new ValidationError(`net terms must be 0-${MAX_NET_TERMS_DAYS} days`, { days });
  }
}
