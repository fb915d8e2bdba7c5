import { assessRisk, type RiskAssessment } from '../engines/risk/assess-risk.js';
import { defaultRiskRules } from '../engines/risk/default-risk-rules.js';
import { buildRiskContext } from '../engines/risk/risk-context.js';
import type { RiskEvent } from '../engines/risk/risk-event.js';
import type { OrderStatus } from '../order/order-status.js';
import { MS_PER_DAY } from '../shared/clock.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { checkCommand, checkId } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** As the risk policy of PlaceOrder looks back (rule-based-risk-policy.ts). */
const HISTORY_DAYS = 90;
const HISTORY_LIMIT = 200;
/** What `pendingExposure` counts: the order itself is taken out of it, as when it was placed. */
const EXPOSED: readonly OrderStatus[] = ['PENDING', 'ON_HOLD', 'ROUTING'];

export interface OrderRiskReview {
  readonly orderId: OrderId;
  readonly source: 'stored' | 'defaults';
  readonly assessment: RiskAssessment;
}

/**
 * Assess an existing order against the rules in force now and the retailer's history now:
 * what an operator reviewing a held order asks ("would it pass today?"). A dry run: nothing
 * is recorded and the order does not move (ReviewHeldOrder decides).
 */
export class AssessOrderRisk {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly orderId: OrderId;
  }): Promise<Outcome<OrderRiskReview, FailureCode<typeof AssessOrderRisk>>> {
    checkCommand(query);
    const orderId = checkId<OrderId>(query.orderId, 'orderId');
    return runUseCase(AssessOrderRisk.failures, async () => {
      const { repos } = this.ctx;
      const order = required(await repos.orders.get(orderId), 'order', orderId);
      const account = required(await repos.credit.get(order.retailerId), 'credit account', order.retailerId);
      const retailer = required(await repos.retailers.get(order.retailerId), 'retailer', order.retailerId);
      const asOf = this.ctx.clock.now();
      const [stored, history, latest, exposure] = await Promise.all([
        repos.riskRules.list(),
        repos.orders.list(
          { retailerId: retailer.id, placedFrom: new Date(asOf.getTime() - HISTORY_DAYS * MS_PER_DAY) },
          { limit: HISTORY_LIMIT },
        ),
        repos.creditScores.latest(retailer.id),
        repos.orders.pendingExposure(retailer.id, account.currency),
      ]);
      const pendingExposure = EXPOSED.includes(order.status) ? exposure.subtract(order.total) : exposure;
      const context = buildRiskContext({
        order: order.snapshot(),
        history: history.items.map((o) => o.snapshot()),
        account: account.snapshot(),
        pendingExposure,
        score: latest?.score ?? null,
        asOf,
        accountOpenedAt: retailer.createdAt,
      });
      const rules = stored.length > 0 ? stored : defaultRiskRules(account.currency);
      return {
        orderId,
        source: stored.length > 0 ? ('stored' as const) : ('defaults' as const),
        assessment: assessRisk(rules, context),
      };
    });
  }
}

export type ListRiskEventsQuery =
  | { readonly orderId: OrderId }
  | { readonly retailerId: RetailerId; readonly limit?: number; readonly since?: Date };

/** The recorded verdicts of every rule: of one order (oldest first) or one retailer (newest first). */
export class ListRiskEvents {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListRiskEventsQuery): Promise<Outcome<RiskEvent[], FailureCode<typeof ListRiskEvents>>> {
    checkCommand(query);
    const { repos } = this.ctx;
    if ('orderId' in query) {
      const orderId = checkId<OrderId>(query.orderId, 'orderId');
      return runUseCase(ListRiskEvents.failures, async () => {
        required(await repos.orders.get(orderId), 'order', orderId);
        return repos.riskEvents.listByOrder(orderId);
      });
    }
    const retailerId = checkId<RetailerId>(query.retailerId, 'retailerId');
    const limit = query.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
      throw new ValidationError('limit must be a whole number 1-200', { field: 'limit' }, ErrorCodes.OUT_OF_RANGE);
    }
    return runUseCase(ListRiskEvents.failures, async () => {
      required(await repos.retailers.get(retailerId), 'retailer', retailerId);
      return repos.riskEvents.listByRetailer(retailerId, { limit, ...(query.since ? { since: query.since } : {}) });
    });
  }
}
