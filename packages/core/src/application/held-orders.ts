import type { Order } from '../order/order.js';
import type { HoldReason } from '../order/order-status.js';
import { isHoldReason } from '../order/order-status.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import { type Actor, requireStaff } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { Money } from '../shared/money.js';
import { checkActor, checkCommand } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface HeldOrder {
  readonly order: Order;
  /** The shop's credit now, without this order (a held-for-credit order reserves nothing). */
  readonly creditLimit: Money;
  readonly available: Money;
  /** How far past the available credit approving it would go (zero when it fits now). */
  readonly overBy: Money;
}

export interface ListHeldOrdersQuery {
  /** CREDIT_LIMIT: over the shop's credit; RISK_REVIEW: the risk rules asked; both when absent. */
  readonly holdReason?: HoldReason;
  readonly page: PageRequest;
  readonly actor: Actor;
}

/**
 * The operators' approvals queue of orders: those ON_HOLD, newest first, each with the shop's
 * credit as it stands now, so the operator sees whether approving is an override
 * (`ReviewHeldOrder` decides; past the available credit only with a reason).
 */
export class ListHeldOrders {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListHeldOrdersQuery): Promise<Outcome<Page<HeldOrder>, FailureCode<typeof ListHeldOrders>>> {
    checkCommand(query);
    const actor = checkActor(query.actor);
    if (query.holdReason !== undefined && !isHoldReason(query.holdReason)) {
      throw new ValidationError('unknown hold reason', { field: 'holdReason' }, ErrorCodes.INVALID_COMMAND);
    }
    return runUseCase(ListHeldOrders.failures, async () => {
      requireStaff(actor, 'see held orders');
      const { repos } = this.ctx;
      const page = await repos.orders.list(
        { statuses: ['ON_HOLD'], ...(query.holdReason ? { holdReason: query.holdReason } : {}) },
        query.page,
      );
      // One read of the accounts and one of the exposures for the whole page, whatever its shops.
      const retailerIds = [...new Set(page.items.map((o) => o.retailerId))];
      const accounts = await repos.credit.getMany(retailerIds);
      const credit = new Map<string, { limit: Money; available: Money }>();
      for (const currency of new Set(accounts.map((a) => a.currency))) {
        const inCurrency = accounts.filter((a) => a.currency === currency);
        const exposures = await repos.orders.pendingExposures(
          inCurrency.map((a) => a.retailerId),
          currency,
        );
        for (const account of inCurrency) {
          const exposure = exposures.get(account.retailerId) ?? Money.zero(currency);
          credit.set(account.retailerId, { limit: account.creditLimit, available: account.available(exposure) });
        }
      }
      const items = page.items.map((order): HeldOrder => {
        const zero = Money.zero(order.total.currency);
        const c = credit.get(order.retailerId) ?? { limit: zero, available: zero };
        // A review hold counts in the exposure already: what is left is what approving leaves.
        const available =
          order.holdReason === 'CREDIT_LIMIT'
            ? c.available
            : Money.of(c.available.amount + order.total.amount, c.available.currency);
        const over = order.total.amount - available.amount;
        return {
          order,
          creditLimit: c.limit,
          available,
          overBy: over > 0 ? Money.of(over, order.total.currency) : zero,
        };
      });
      return { items, nextCursor: page.nextCursor };
    });
  }
}
