import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { type Retailer, type RetailerStatus, withRetailerStatus } from '../parties/retailer.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, actorToJson, requireStaff } from '../shared/domain-event.js';
import { ErrorCodes, IllegalStateError } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** Staff decide whether a retailer may order; the reason is kept in the event log. */
export interface RetailerStatusCommand {
  readonly retailerId: RetailerId;
  readonly reason: string;
  readonly actor: Actor;
}

export type ApproveRetailerCommand = RetailerStatusCommand;
export type SuspendRetailerCommand = RetailerStatusCommand;

const STATUS_FAILURES = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN, ErrorCodes.PARTY_INACTIVE] as const;

/**
 * PENDING_KYC → ACTIVE once KYC is checked, and SUSPENDED → ACTIVE to reinstate: one
 * decision ("this retailer may order"), told apart in the event by `from`. Approving an
 * ACTIVE retailer changes nothing and raises no event. Staff only.
 */
export class ApproveRetailer {
  static readonly failures = STATUS_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  execute(command: ApproveRetailerCommand): Promise<Outcome<Retailer, FailureCode<typeof ApproveRetailer>>> {
    return changeStatus(this.ctx, command, 'ACTIVE');
  }
}

/**
 * → SUSPENDED (from ACTIVE or PENDING_KYC): new orders are refused with PARTY.INACTIVE;
 * orders already placed go on. `ApproveRetailer` reinstates. Staff only.
 */
export class SuspendRetailer {
  static readonly failures = STATUS_FAILURES;

  constructor(private readonly ctx: UseCaseContext) {}

  execute(command: SuspendRetailerCommand): Promise<Outcome<Retailer, FailureCode<typeof SuspendRetailer>>> {
    return changeStatus(this.ctx, command, 'SUSPENDED');
  }
}

async function changeStatus(
  ctx: UseCaseContext,
  command: RetailerStatusCommand,
  to: Extract<RetailerStatus, 'ACTIVE' | 'SUSPENDED'>,
): Promise<Outcome<Retailer, (typeof STATUS_FAILURES)[number]>> {
  checkCommand(command);
  const retailerId = checkId<RetailerId>(command.retailerId, 'retailerId');
  const actor = checkActor(command.actor);
  const reason = requiredReason(command.reason);
  const result = await runUseCase(STATUS_FAILURES, () =>
    ctx.uow.run(
      async (tx) => {
        requireStaff(actor, to === 'ACTIVE' ? 'approve a retailer' : 'suspend a retailer');
        const retailer = await lockedRetailer(tx, retailerId);
        if (retailer.status === to) return retailer;
        if (to === 'ACTIVE' && retailer.phone.isErased) {
          // An erased retailer has no person behind it any more: it stays SUSPENDED for good.
          throw new IllegalStateError(ErrorCodes.PARTY_INACTIVE, 'an erased retailer cannot be reinstated', {
            retailerId,
          });
        }
        const now = ctx.clock.now();
        const changed = withRetailerStatus(retailer, to, now);
        await tx.retailers.save(changed);
        const payload = { from: retailer.status, to, reason, actor: actorToJson(actor) };
        await persist(tx, {
          events: [
            to === 'ACTIVE'
              ? domainEvent(EventTypes.RETAILER_APPROVED, retailerId, now, payload)
              : domainEvent(EventTypes.RETAILER_SUSPENDED, retailerId, now, payload),
          ],
        });
        return changed;
      },
      { label: to === 'ACTIVE' ? 'approve-retailer' : 'suspend-retailer' },
    ),
  );
  if (result.ok) ctx.logger.info('retailer status set', { retailerId, status: to, actor: actor.type });
  return result;
}

/**
 * Retailers carry no version: the credit account's lock serialises two staff decisions on
 * one retailer, so the second reads the first's outcome instead of overwriting it blindly.
 */
export async function lockedRetailer(tx: TransactionScope, retailerId: RetailerId): Promise<Retailer> {
  required(await tx.lockCreditAccount(retailerId), 'retailer', retailerId);
  return required(await tx.retailers.get(retailerId), 'retailer', retailerId);
}
