import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { buildCreditScoreInput } from '../engines/scoring/credit-score-input.js';
import { scoreRetailer } from '../engines/scoring/score-retailer.js';
import type { ScoringConfigOverrides } from '../engines/scoring/scoring-config.js';
import type { CreditScoreRecord, CreditScoreTrigger } from '../ports/engine-repositories.js';
import type { OrderSnapshot } from '../order/order.js';
import { MS_PER_DAY } from '../shared/clock.js';
import type { RetailerId } from '../shared/ids.js';
import { persist, type UseCaseContext } from './context.js';
import type { Actor } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface RecalculateCreditScoreOptions {
  /** Apply the recommended limit to the account (else it is only recorded). Default true. */
  readonly applyLimit?: boolean;
  readonly scoring?: ScoringConfigOverrides;
}

const SCORE_TRIGGERS = [
  'PAYMENT',
  'DELIVERY',
  'NIGHTLY',
  'MANUAL',
  'ONBOARDING',
] as const satisfies readonly CreditScoreTrigger[];

const ORDER_LOOKBACK_DAYS = 365;
const PAGE = 200;

/**
 * Score a retailer from its ledger and orders, store the full explanation as history,
 * and (by default) move its credit limit to the recommendation, unless a person set the
 * limit by hand (then the recommendation is only recorded), in one transaction with
 * the account locked so a concurrent order sees either the old or the new limit.
 */
export interface RecalculateCreditScoreCommand {
  readonly retailerId: RetailerId;
  readonly trigger: CreditScoreTrigger;
  /** The scoring job (system) or the operator who asked for a fresh score. */
  readonly actor: Actor;
}

export class RecalculateCreditScore {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly options: RecalculateCreditScoreOptions = {},
  ) {}

  async execute(
    command: RecalculateCreditScoreCommand,
  ): Promise<Outcome<CreditScoreRecord, FailureCode<typeof RecalculateCreditScore>>> {
    checkCommand(command);
    const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
    const actor = checkActor(command.actor);
    const { trigger } = command;
    if (!(SCORE_TRIGGERS as readonly unknown[]).includes(trigger)) {
      throw new ValidationError(
        `trigger must be one of ${SCORE_TRIGGERS.join(', ')}`,
        { field: 'trigger' },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    const result = await runUseCase(RecalculateCreditScore.failures, () => this.recalculate(retailerId, trigger));
    if (result.ok) {
      this.ctx.logger.info('credit score recalculated', {
        retailerId,
        score: result.value.score,
        band: result.value.band,
        trigger,
        actor: actor.type,
      });
    }
    return result;
  }

  private recalculate(retailerId: RetailerId, trigger: CreditScoreTrigger): Promise<CreditScoreRecord> {
    return this.ctx.uow.run(
      async (tx) => {
        const retailer = required(await tx.retailers.get(retailerId), 'retailer', retailerId);
        const account = required(await tx.lockCreditAccount(retailerId), 'credit account', retailerId);
        const now = this.ctx.clock.now();
        const entries = await tx.credit.listEntries(retailerId, {});
        const orders: OrderSnapshot[] = [];
        let cursor: string | null = null;
        do {
          const page = await tx.orders.list(
            { retailerId, placedFrom: new Date(now.getTime() - ORDER_LOOKBACK_DAYS * MS_PER_DAY) },
            { limit: PAGE, cursor },
          );
          orders.push(...page.items.map((o) => o.snapshot()));
          cursor = page.nextCursor;
        } while (cursor);
        const result = scoreRetailer(
          buildCreditScoreInput({
            account: account.snapshot(),
            entries,
            orders,
            asOf: now,
            accountOpenedAt: retailer.createdAt,
          }),
          this.options.scoring ?? {},
        );
        const rec: CreditScoreRecord = {
          id: this.ctx.ids.next(),
          retailerId,
          score: result.score,
          band: result.band,
          recommendedLimit: result.limit.recommended,
          limitRule: result.limit.rule,
          trigger,
          calculatedAt: now,
          result,
        };
        await tx.creditScores.append(rec);
        const limitApplied =
          (this.options.applyLimit ?? true) &&
          account.applyRecommendedLimit(result.limit.recommended, now, result.limit.explanation);
        await persist(tx, {
          accounts: [account],
          events: [
            domainEvent(EventTypes.CREDIT_SCORE_CALCULATED, retailerId, now, {
              retailerId,
              score: result.score,
              band: result.band,
              trigger,
              recommendedLimit: result.limit.recommended.amount,
              limitRule: result.limit.rule,
              limitApplied,
              manualLimitKept: account.limitSetManually,
            }),
          ],
        });
        return rec;
      },
      { label: 'recalculate-credit-score' },
    );
  }
}
