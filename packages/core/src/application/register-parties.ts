import { CreditAccount } from '../credit/credit-account.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { createRetailer, type Retailer, type RetailerInput } from '../parties/retailer.js';
import { createVendor, type Vendor, type VendorInput } from '../parties/vendor.js';
import type { Actor } from '../shared/domain-event.js';
import { ConflictError, DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId, VendorId } from '../shared/ids.js';
import { DEFAULT_CURRENCY, Money } from '../shared/money.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { requireLedgerAmount } from '../credit/ledger-bounds.js';
import { checkActor, checkCommand } from './command-checks.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import { persist, type UseCaseContext } from './context.js';
import type { TransactionScope } from '../ports/unit-of-work.js';

export interface RegisterRetailerCommand extends RetailerInput {
  /** Starting credit limit (minor units); new accounts start small and grow with the score. */
  readonly creditLimit?: Money;
  readonly netTermsDays?: number;
  readonly actor: Actor;
}

export const DEFAULT_NEW_RETAILER_LIMIT = Money.of(2_000_000); // NPR 20,000
export const DEFAULT_NET_TERMS_DAYS = 15;

/**
 * A retailer and its credit account, created together. A retailer starts PENDING_KYC and
 * cannot order until `ApproveRetailer`; only staff or the system (imports) may register
 * one in another status.
 */
export class RegisterRetailer {
  static readonly failures = [ErrorCodes.DUPLICATE, ErrorCodes.PARTY_PHONE_TAKEN, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: RegisterRetailerCommand): Promise<Outcome<Retailer, FailureCode<typeof RegisterRetailer>>> {
    const phone = checkParty(cmd);
    if (cmd.creditLimit !== undefined) requireLedgerAmount(cmd.creditLimit, 'creditLimit');
    const result = await runUseCase(RegisterRetailer.failures, () => this.register({ ...cmd, phone }));
    if (result.ok)
      this.ctx.logger.info('retailer registered', { retailerId: result.value.id, area: result.value.area });
    return result;
  }

  private register(cmd: RegisterRetailerCommand): Promise<Retailer> {
    return this.ctx.uow.run((tx) => registerRetailerIn(tx, this.ctx, cmd), { label: 'register-retailer' });
  }
}

/**
 * The retailer, its credit account and its event, in the caller's transaction (what
 * `RegisterRetailer` and self-registration of an account share). `cmd.phone` is parsed.
 */
export async function registerRetailerIn(
  tx: TransactionScope,
  ctx: Pick<UseCaseContext, 'clock' | 'ids'>,
  cmd: RegisterRetailerCommand,
): Promise<Retailer> {
  const now = ctx.clock.now();
  const skipsKyc = cmd.status !== undefined && cmd.status !== 'PENDING_KYC';
  if (skipsKyc && (cmd.actor.type === 'retailer' || cmd.actor.type === 'vendor')) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only staff may register a retailer past KYC', {
      status: cmd.status,
    });
  }
  if (await tx.retailers.getByPhone(cmd.phone)) {
    throw new ConflictError('a retailer with this phone exists', { field: 'phone' }, ErrorCodes.DUPLICATE);
  }
  if (await tx.vendors.getByPhone(cmd.phone)) throw phoneTaken('vendor');
  const r = createRetailer(cmd, ctx.ids.next() as RetailerId, now);
  const limit = cmd.creditLimit ?? DEFAULT_NEW_RETAILER_LIMIT;
  const account = CreditAccount.open({
    retailerId: r.id,
    currency: limit.currency ?? DEFAULT_CURRENCY,
    creditLimit: limit,
    netTermsDays: cmd.netTermsDays ?? DEFAULT_NET_TERMS_DAYS,
    createdAt: now,
  });
  await tx.retailers.save(r);
  await persist(tx, {
    accounts: [account],
    events: [
      domainEvent(EventTypes.RETAILER_REGISTERED, r.id, now, {
        area: r.area,
        status: r.status,
        creditLimit: limit.amount,
        actorType: cmd.actor.type,
      }),
    ],
  });
  return r;
}

export interface RegisterVendorCommand extends VendorInput {
  readonly actor: Actor;
}

export class RegisterVendor {
  static readonly failures = [ErrorCodes.DUPLICATE, ErrorCodes.PARTY_PHONE_TAKEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(cmd: RegisterVendorCommand): Promise<Outcome<Vendor, FailureCode<typeof RegisterVendor>>> {
    const phone = checkParty(cmd);
    const result = await runUseCase(RegisterVendor.failures, () => this.register({ ...cmd, phone }));
    if (result.ok) this.ctx.logger.info('vendor registered', { vendorId: result.value.id });
    return result;
  }

  private register(cmd: RegisterVendorCommand): Promise<Vendor> {
    return this.ctx.uow.run((tx) => registerVendorIn(tx, this.ctx, cmd), { label: 'register-vendor' });
  }
}

/** The vendor and its event, in the caller's transaction. `cmd.phone` is parsed. */
export async function registerVendorIn(
  tx: TransactionScope,
  ctx: Pick<UseCaseContext, 'clock' | 'ids'>,
  cmd: RegisterVendorCommand,
): Promise<Vendor> {
  const now = ctx.clock.now();
  if (await tx.vendors.getByPhone(cmd.phone)) {
    throw new ConflictError('a vendor with this phone exists', { field: 'phone' }, ErrorCodes.DUPLICATE);
  }
  if (await tx.retailers.getByPhone(cmd.phone)) throw phoneTaken('retailer');
  const v = createVendor(cmd, ctx.ids.next() as VendorId, now);
  await tx.vendors.save(v);
  await persist(tx, {
    events: [
      domainEvent(EventTypes.VENDOR_REGISTERED, v.id, now, {
        serviceAreas: [...v.serviceAreas],
        dailyCapacity: v.dailyCapacity,
      }),
    ],
  });
  return v;
}

/**
 * One phone, one party: WhatsApp tells us only the number, so a number that were both a
 * retailer's and a vendor's could not say which of the two speaks. The stores enforce it too
 * (PostgreSQL's `party_phones` registry), for writers that bypass these use cases.
 */
export function phoneTaken(takenBy: 'retailer' | 'vendor'): ConflictError {
  return new ConflictError(
    `this phone belongs to a ${takenBy}: one number can be a retailer or a vendor, not both`,
    { field: 'phone', takenBy },
    ErrorCodes.PARTY_PHONE_TAKEN,
  );
}

/** Before the transaction: who registers, and a parsed phone (the uniqueness lookup needs one). */
export function checkParty(cmd: { readonly phone: unknown; readonly actor: unknown }): PhoneNumber {
  checkCommand(cmd);
  checkActor(cmd.actor);
  if (
    typeof cmd.phone !== 'object' ||
    cmd.phone === null ||
    typeof (cmd.phone as { value?: unknown }).value !== 'string'
  ) {
    throw new ValidationError('phone must be a parsed PhoneNumber', { field: 'phone' }, ErrorCodes.INVALID_COMMAND);
  }
  // Parsed again: an object shaped like a PhoneNumber may hold anything, and a stored number
  // that does not parse is one the store and every reader must then tolerate.
  return PhoneNumber.parse((cmd.phone as { value: string }).value);
}
