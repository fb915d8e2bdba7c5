import type { CreditScoreRecord, RoutingDecisionRecord } from '../ports/engine-repositories.js';
import { requireStaff, type Actor } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { OrderId, RetailerId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** Every routing decision of an order, by attempt: why each vendor was ranked or left out. */
export class ListRoutingDecisions {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly orderId: OrderId;
  }): Promise<Outcome<RoutingDecisionRecord[], FailureCode<typeof ListRoutingDecisions>>> {
    checkCommand(query);
    const orderId = checkId<OrderId>(query.orderId, 'orderId');
    return runUseCase(ListRoutingDecisions.failures, async () => {
      required(await this.ctx.repos.orders.get(orderId), 'order', orderId);
      return this.ctx.repos.routingDecisions.listByOrder(orderId);
    });
  }
}

/** A retailer's latest credit score with its explanation; NOT_FOUND until it has been scored once. */
export class GetCreditScore {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: {
    readonly retailerId: RetailerId;
  }): Promise<Outcome<CreditScoreRecord, FailureCode<typeof GetCreditScore>>> {
    checkCommand(query);
    const retailerId = checkId<RetailerId>(query.retailerId, 'retailerId');
    return runUseCase(GetCreditScore.failures, async () => {
      required(await this.ctx.repos.retailers.get(retailerId), 'retailer', retailerId);
      return required(await this.ctx.repos.creditScores.latest(retailerId), 'credit score', retailerId);
    });
  }
}

export interface CreditScoreHistoryQuery {
  readonly retailerId: RetailerId;
  /** 1..200, default 50. */
  readonly limit?: number;
  readonly since?: Date;
}

/** A retailer's scores, newest first. */
export class ListCreditScoreHistory {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: CreditScoreHistoryQuery,
  ): Promise<Outcome<CreditScoreRecord[], FailureCode<typeof ListCreditScoreHistory>>> {
    checkCommand(query);
    const retailerId = checkId<RetailerId>(query.retailerId, 'retailerId');
    const limit = query.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
      throw new ValidationError('limit must be a whole number 1-200', { field: 'limit' }, ErrorCodes.OUT_OF_RANGE);
    }
    if (query.since !== undefined && !(query.since instanceof Date && Number.isFinite(query.since.getTime()))) {
      throw new ValidationError('since must be a date', { field: 'since' }, ErrorCodes.INVALID_COMMAND);
    }
    return runUseCase(ListCreditScoreHistory.failures, async () => {
      required(await this.ctx.repos.retailers.get(retailerId), 'retailer', retailerId);
      return this.ctx.repos.creditScores.history(retailerId, {
        limit,
        ...(query.since ? { since: query.since } : {}),
      });
    });
  }
}

export interface SetNetTermsCommand {
  readonly retailerId: RetailerId;
  /** Days from delivery to an invoice's due date: 0 (cash on delivery) up to the account's maximum. */
  readonly days: number;
  readonly actor: Actor;
}

/**
 * Staff change a retailer's net terms. They apply to invoices issued from now on; existing due
 * dates stay (what the retailer was promised). The account is locked like any credit change.
 */
export class SetNetTerms {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: SetNetTermsCommand,
  ): Promise<Outcome<{ netTermsDays: number; previous: number }, FailureCode<typeof SetNetTerms>>> {
    checkCommand(command);
    const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
    const actor = checkActor(command.actor);
    const result = await runUseCase(SetNetTerms.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          requireStaff(actor, 'change net terms');
          const account = required(await tx.lockCreditAccount(retailerId), 'credit account', retailerId);
          const previous = account.netTermsDays;
          account.setNetTerms(command.days, this.ctx.clock.now());
          await persist(tx, { accounts: [account] });
          return { netTermsDays: account.netTermsDays, previous };
        },
        { label: 'set-net-terms' },
      ),
    );
    if (result.ok) {
      this.ctx.logger.info('net terms set', { retailerId, days: result.value.netTermsDays, actor: actor.type });
    }
    return result;
  }
}
