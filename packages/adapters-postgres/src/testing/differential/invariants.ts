import { CreditAccount, type LedgerEntry, type Money, type Order } from '@khaacho/core';

const HELD_STATUSES = new Set(['CONFIRMED', 'DISPATCHED']);

/**
 * The ledger's invariants, as credit-account.ts keeps them: the projection is the replay
 * of its entries; balance = Σ invoices + adjustments − payments; held = Σ holds − releases
 * = Σ active holds, each positive, one per order; sequences 1..n without gaps; aging +
 * unapplied credit = outstanding, and credit stays unapplied only while nothing is open;
 * available = limit − outstanding − held − pending exposure. Across aggregates: an order
 * the world shows CONFIRMED or DISPATCHED holds exactly its total, any other does not.
 * Returns the broken ones (empty when all hold).
 */
export function ledgerViolations(
  account: CreditAccount,
  entries: readonly LedgerEntry[],
  exposure: Money,
  orders: readonly Order[],
  now: Date,
): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) broken.push(`${account.retailerId}: ${what}`);
  };
  const s = account.snapshot();
  const replayed = CreditAccount.replay(account.header(), entries).snapshot();
  check(replayed.balance.equals(s.balance), `replayed balance ${replayed.balance.amount} ≠ ${s.balance.amount}`);
  check(replayed.held.equals(s.held), `replayed held ${replayed.held.amount} ≠ ${s.held.amount}`);
  check(JSON.stringify(replayed.openItems) === JSON.stringify(s.openItems), 'replayed open items differ');
  const sum = (f: (e: LedgerEntry) => number) => entries.reduce((acc, e) => acc + f(e), 0);
  const signed = sum((e) =>
    e.type === 'INVOICE' || e.type === 'ADJUSTMENT' ? e.amount.amount : e.type === 'PAYMENT' ? -e.amount.amount : 0,
  );
  check(s.balance.amount === signed, `balance ${s.balance.amount} ≠ sum of entries ${signed}`);
  const held = sum((e) => (e.type === 'HOLD' ? e.amount.amount : e.type === 'RELEASE' ? -e.amount.amount : 0));
  check(s.held.amount === held, `held ${s.held.amount} ≠ holds − releases ${held}`);
  check(s.held.amount === s.holds.reduce((a, h) => a + h.amount.amount, 0), 'held ≠ sum of active holds');
  check(
    s.holds.every((h) => h.amount.isPositive()),
    'an empty or negative hold',
  );
  check(new Set(s.holds.map((h) => h.orderId)).size === s.holds.length, 'two holds for one order');
  check(
    entries.every((e, i) => e.sequence === i + 1),
    'ledger sequence has gaps',
  );
  check(s.lastSequence === entries.length, `lastSequence ${s.lastSequence} ≠ ${entries.length} entries`);
  const aging = account.aging(now);
  check(aging.total.subtract(s.unappliedCredit).equals(s.balance), 'aging − unapplied credit ≠ outstanding');
  check(s.unappliedCredit.isZero() || s.openItems.length === 0, 'unapplied credit while debts are open');
  const available = s.creditLimit.amount - s.balance.amount - s.held.amount - exposure.amount;
  check(account.available(exposure).amount === available, 'available ≠ limit − outstanding − held − exposure');
  for (const order of orders) {
    const hold = account.holdFor(order.id);
    if (HELD_STATUSES.has(order.status)) {
      check(hold?.amount.equals(order.total) === true, `${order.status} order ${order.id} without a hold of its total`);
    } else {
      check(hold === undefined, `${order.status} order ${order.id} still holds credit`);
    }
  }
  return broken;
}
