import type { SettledDebit } from '../credit/credit-account.js';
import type { LedgerEntry } from '../credit/ledger-entry.js';
import type { Actor } from '../shared/domain-event.js';
import type { RetailerId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import type { Order } from '../order/order.js';
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
 * invoice becomes fully paid is completed in the same transaction. Idempotent by reference.
 */
export class RecordPayment {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: RecordPaymentCommand): Promise<RecordedPayment> {
    const result = await this.ctx.uow.run(
      async (tx): Promise<RecordedPayment> => {
        const account = required(await tx.lockCreditAccount(cmd.retailerId), 'credit account', cmd.retailerId);
        const existing = await tx.credit.findPaymentByReference(cmd.retailerId, cmd.reference);
        if (existing) return { entry: existing, duplicate: true, settled: [], completedOrders: [] };
        const now = this.ctx.clock.now();
        const { entry, settled } = account.recordPayment(
          cmd.amount,
          cmd.reference,
          cmd.actor,
          now,
          this.ctx.ids,
          cmd.note ?? null,
        );
        const completed: Order[] = [];
        for (const s of settled) {
          if (!s.fullySettled || s.orderId === null) continue;
          const order = await tx.orders.get(s.orderId);
          if (order?.status === 'DELIVERED') {
            order.complete(cmd.actor, now, account.isOrderInvoiceSettled(order.id));
            completed.push(order);
          }
        }
        await persist(tx, { accounts: [account], orders: completed });
        return { entry, duplicate: false, settled, completedOrders: completed };
      },
      { label: 'record-payment' },
    );
    this.ctx.logger.info('payment recorded', {
      retailerId: cmd.retailerId,
      amount: cmd.amount.amount,
      duplicate: result.duplicate,
      completed: result.completedOrders.length,
    });
    return result;
  }
}
