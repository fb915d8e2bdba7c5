import { requireLedgerAmount } from '../credit/ledger-bounds.js';
import type { Actor } from '../shared/domain-event.js';
import type { RetailerId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface SetCreditLimitCommand {
  readonly retailerId: RetailerId;
  /** A limit chosen by hand, or `'scoring'` to let the next score move it again. */
  readonly limit: Money | 'scoring';
  readonly reason: string;
  readonly actor: Actor;
}

/**
 * An operator or admin sets a retailer's limit by hand (scoring then only recommends),
 * or hands it back to scoring. The account is locked, so a concurrent order sees either
 * the old or the new limit.
 */
export interface CreditLimitSet {
  readonly creditLimit: Money;
  /** False once the limit is handed back to scoring. */
  readonly limitSetManually: boolean;
}

export class SetCreditLimit {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: SetCreditLimitCommand): Promise<Outcome<CreditLimitSet, FailureCode<typeof SetCreditLimit>>> {
    checkCommand(command);
    if (command.limit !== 'scoring') {
      if (typeof command.limit !== 'object' || command.limit === null) {
        throw new ValidationError('limit must be Money or "scoring"', { field: 'limit' }, ErrorCodes.INVALID_COMMAND);
      }
      requireLedgerAmount(command.limit, 'limit');
    }
    const cmd = {
      ...command,
      retailerId: checkId<RetailerId>(command.retailerId, 'retailerId'),
      actor: checkActor(command.actor),
      reason: command.limit === 'scoring' ? command.reason : requiredReason(command.reason),
    };
    const result = await runUseCase(SetCreditLimit.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const account = required(await tx.lockCreditAccount(cmd.retailerId), 'credit account', cmd.retailerId);
          const now = this.ctx.clock.now();
          if (cmd.limit === 'scoring') account.releaseManualLimit(cmd.actor, now);
          else account.setCreditLimit(cmd.limit, cmd.actor, now, cmd.reason);
          await persist(tx, { accounts: [account] });
          return { creditLimit: account.creditLimit, limitSetManually: account.limitSetManually };
        },
        { label: 'set-credit-limit' },
      ),
    );
    if (result.ok)
      this.ctx.logger.info('credit limit set', {
        retailerId: cmd.retailerId,
        limit: cmd.limit === 'scoring' ? 'scoring' : cmd.limit.amount,
        actor: cmd.actor.type,
      });
    return result;
  }
}
