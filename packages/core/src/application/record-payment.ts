import type { CreditAccount, SettledDebit } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import { requireLedgerAmount } from '../credit/ledger-bounds.js';
import type { Order } from '../order/order.js';
import type { ReferencedEntryType } from '../ports/repositories.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, requireStaff } from '../shared/domain-event.js';
import { ConflictError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import { noteText, requireText } from '../shared/text.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';

export interface RecordPaymentCommand {
  readonly retailerId: RetailerId;
  readonly amount: Money;
  /** The payer's or bank's reference: the same reference twice records one payment. */
  readonly reference: string;
  readonly note?: string | null;
  readonly actor: Actor;
}

export interface RecordedPayment {
  readonly entry: LedgerEntry;
  readonly duplicate: boolean;
  readonly settled: readonly SettledDebit[];
  /** Delivered orders whose invoice this payment settled, now COMPLETED. */
  readonly completedOrders: readonly Order[];
}

/**
 * Record a payment: applied to the oldest debts first; every delivered order whose
 * invoice becomes fully paid is completed in the same transaction. Idempotent by
 * reference; the same reference with another amount is a ConflictError, not a silent no-op.
 */
export class RecordPayment {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.IDEMPOTENCY_KEY_REUSED] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: RecordPaymentCommand): Promise<Outcome<RecordedPayment, FailureCode<typeof RecordPayment>>> {
    const cmd = { ...checkReferencedCommand(command), note: noteText(command.note) };
    return runUseCase(RecordPayment.failures, () =>
      recordReferencedEntry(this.ctx, 'PAYMENT', cmd, (account, now) =>
        account.recordPayment(cmd.amount, cmd.reference, cmd.actor, now, this.ctx.ids, cmd.note),
      ),
    );
  }
}

export interface AdjustCreditCommand {
  readonly retailerId: RetailerId;
  /** Positive: a debit note (a charge, due at once). Negative: a credit note (settles debts). */
  readonly amount: Money;
  readonly note: string;
  /** The note's own number (e.g. "CN-2026-014"): the same reference twice records one adjustment. */
  readonly reference: string;
  readonly actor: Actor;
}

export type RecordedAdjustment = RecordedPayment;

/**
 * A debit or credit note on a retailer's account, by an operator or an admin. A credit
 * note that settles a delivered order's invoice completes the order, as a payment would.
 */
export class AdjustCredit {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.IDEMPOTENCY_KEY_REUSED, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: AdjustCreditCommand): Promise<Outcome<RecordedAdjustment, FailureCode<typeof AdjustCredit>>> {
    const cmd = { ...checkReferencedCommand(command), note: noteText(command.note) };
    const { note } = cmd;
    if (note === null)
      throw new ValidationError('an adjustment needs a note', { field: 'note' }, ErrorCodes.TEXT_REQUIRED);
    return runUseCase(AdjustCredit.failures, async () => {
      requireStaff(cmd.actor, 'adjust credit');
      return recordReferencedEntry(this.ctx, 'ADJUSTMENT', cmd, (account, now) =>
        account.adjust(cmd.amount, note, cmd.actor, now, this.ctx.ids, cmd.reference),
      );
    });
  }
}

/**
 * The shared path of payments and notes: lock the account, replay a retried reference,
 * append the entry, complete the delivered orders it settled, all in one transaction.
 */
async function recordReferencedEntry(
  ctx: UseCaseContext,
  type: ReferencedEntryType,
  cmd: { readonly retailerId: RetailerId; readonly amount: Money; readonly reference: string; readonly actor: Actor },
  append: (account: CreditAccount, now: Date) => { entry: LedgerEntry; settled: SettledDebit[] },
): Promise<RecordedPayment> {
  const result = await ctx.uow.run(
    async (tx): Promise<RecordedPayment> => {
      const account = required(await tx.lockCreditAccount(cmd.retailerId), 'credit account', cmd.retailerId);
      const existing = await findReplay(tx, cmd.retailerId, type, cmd.reference, cmd.amount);
      if (existing) return { entry: existing, duplicate: true, settled: [], completedOrders: [] };
      const now = ctx.clock.now();
      const { entry, settled } = append(account, now);
      const completed = await completeSettledOrders(tx, account, settled, cmd.actor, now);
      await persist(tx, { accounts: [account], orders: completed });
      return { entry, duplicate: false, settled, completedOrders: completed };
    },
    { label: type === 'PAYMENT' ? 'record-payment' : 'adjust-credit' },
  );
  ctx.logger.info(type === 'PAYMENT' ? 'payment recorded' : 'credit adjusted', {
    retailerId: cmd.retailerId,
    amount: cmd.amount.amount,
    duplicate: result.duplicate,
    completed: result.completedOrders.length,
  });
  return result;
}

/** A retried command finds its earlier entry; the same reference for another amount is a conflict. */
async function findReplay(
  tx: TransactionScope,
  retailerId: RetailerId,
  type: ReferencedEntryType,
  reference: string,
  amount: Money,
): Promise<LedgerEntry | null> {
  const existing = await tx.credit.findByReference(retailerId, type, reference);
  if (existing && !existing.amount.equals(amount)) {
    throw new ConflictError(
      `reference ${reference.trim()} was already used for another ${type.toLowerCase()}`,
      {
        reference: reference.trim(),
        recorded: existing.amount.amount,
        requested: amount.amount,
        currency: amount.currency,
      },
      ErrorCodes.IDEMPOTENCY_KEY_REUSED,
    );
  }
  return existing;
}

/** Delivered orders whose invoice is now fully paid become COMPLETED, in the caller's transaction. */
export async function completeSettledOrders(
  tx: TransactionScope,
  account: CreditAccount,
  settled: readonly SettledDebit[],
  actor: Actor,
  at: Date,
): Promise<Order[]> {
  const completed: Order[] = [];
  for (const s of settled) {
    if (!s.fullySettled || s.orderId === null) continue;
    const order = await tx.orders.get(s.orderId);
    if (order?.status === 'DELIVERED' && account.isOrderInvoiceSettled(order.id)) {
      order.complete(actor, at, true);
      completed.push(order);
    }
  }
  return completed;
}

/** Ids, actor, reference and amount of a payment or note, before the transaction. */
function checkReferencedCommand<C extends { retailerId: RetailerId; amount: Money; reference: string; actor: Actor }>(
  cmd: C,
): C {
  checkCommand(cmd);
  if (typeof cmd.amount !== 'object' || cmd.amount === null) {
    throw new ValidationError('amount must be Money', { field: 'amount' }, ErrorCodes.INVALID_COMMAND);
  }
  requireLedgerAmount(cmd.amount, 'amount');
  return {
    ...cmd,
    retailerId: checkId<RetailerId>(cmd.retailerId, 'retailerId'),
    reference: requireText(cmd.reference, 'reference', 100),
    actor: checkActor(cmd.actor),
  };
}
