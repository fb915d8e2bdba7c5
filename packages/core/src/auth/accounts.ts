import { checkId } from '../application/command-checks.js';
import { persist } from '../application/context.js';
import { required } from '../application/errors.js';
import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import { registerRetailerIn, registerVendorIn } from '../application/register-parties.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { type RetailerInput, withRetailerStatus } from '../parties/retailer.js';
import {
  createUser,
  ROLES,
  type Role,
  USER_STATUSES,
  type User,
  type UserStatus,
  withUserStatus,
} from '../parties/user.js';
import type { VendorInput } from '../parties/vendor.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { UserFilter } from '../ports/repositories.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, actorToJson } from '../shared/domain-event.js';
import { ConflictError, DomainError, ErrorCodes, IllegalStateError, ValidationError } from '../shared/errors.js';
import type { RetailerId, UserId, VendorId } from '../shared/ids.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { requiredReason } from '../application/command-checks.js';
import type { RequestMeta } from './audit.js';
import {
  ANONYMOUS,
  type AuthContext,
  audit,
  auditActorOf,
  checkAuthCommand,
  checkMeta,
  checkNewPassword,
  checkString,
  checkStaffActor,
  userSnapshot,
} from './auth-context.js';

/** An account as the API shows it: the user without its password hash. */
export interface AccountView {
  readonly id: UserId;
  readonly email: string | null;
  readonly phone: string | null;
  readonly role: Role;
  readonly status: UserStatus;
  readonly retailerId: string | null;
  readonly vendorId: string | null;
  readonly createdAt: Date;
}

export function accountView(user: User): AccountView {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone?.value ?? null,
    role: user.role,
    status: user.status,
    retailerId: user.retailerId,
    vendorId: user.vendorId,
    createdAt: user.createdAt,
  };
}

type PartyFields<T> = Omit<T, 'status' | 'phone'>;

/** Self-registration: a shop or a supplier with its first user, both waiting for staff. */
export type RegisterAccountCommand = {
  readonly email?: string | null;
  /** The party's phone, also a login identifier of the user. */
  readonly phone: string;
  readonly password: string;
  readonly meta?: RequestMeta;
} & (
  | { readonly role: 'RETAILER'; readonly retailer: PartyFields<RetailerInput> }
  | { readonly role: 'VENDOR'; readonly vendor: PartyFields<VendorInput> }
);

async function ensureFree(tx: TransactionScope, email: string | null, phone: PhoneNumber | null): Promise<void> {
  if (email !== null && (await tx.users.getByEmail(email))) {
    throw new ConflictError('an account with this email exists', { field: 'email' }, ErrorCodes.DUPLICATE);
  }
  if (phone !== null && (await tx.users.getByPhone(phone))) {
    throw new ConflictError('an account with this phone exists', { field: 'phone' }, ErrorCodes.DUPLICATE);
  }
}

function optionalEmail(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 254) {
    throw new ValidationError('email must be text of at most 254 characters', { field: 'email' });
  }
  return value;
}

/**
 * A RETAILER (with its retailer, PENDING_KYC, and credit account) or a VENDOR (with its
 * vendor, INACTIVE) and a user PENDING_APPROVAL, in one transaction. Self-registration never
 * creates ADMIN or OPERATOR (ACCESS.FORBIDDEN): an admin does, with `CreateStaffUser`.
 */
export class RegisterAccount {
  static readonly failures = [
    ErrorCodes.DUPLICATE,
    ErrorCodes.PARTY_PHONE_TAKEN,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.AUTH_WEAK_PASSWORD,
  ] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: RegisterAccountCommand): Promise<Outcome<AccountView, FailureCode<typeof RegisterAccount>>> {
    checkAuthCommand(cmd);
    const meta = checkMeta(cmd.meta);
    const role = (cmd as { role?: unknown }).role;
    const result = await runUseCase(RegisterAccount.failures, async () => {
      if (role !== 'RETAILER' && role !== 'VENDOR') {
        throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'self-registration is for RETAILER or VENDOR only', {
          role: typeof role === 'string' ? role.slice(0, 20) : null,
        });
      }
      const email = optionalEmail(cmd.email);
      const password = checkNewPassword(cmd.password, this.ctx.settings);
      const party =
        role === 'RETAILER' ? (cmd as { retailer?: unknown }).retailer : (cmd as { vendor?: unknown }).vendor;
      if (typeof party !== 'object' || party === null) {
        throw new ValidationError(
          `${role.toLowerCase()} details are required`,
          { field: role.toLowerCase() },
          ErrorCodes.INVALID_COMMAND,
        );
      }
      const phone = PhoneNumber.parse(checkString(cmd.phone, 'phone', 40));
      const passwordHash = await this.ctx.hasher.hash(password);
      return this.ctx.uow.run(
        async (tx) => {
          const now = this.ctx.clock.now();
          // The party is made first: its own phone check is the one its table enforces.
          const normalized = email?.trim().toLowerCase() ?? null;
          await ensureFree(tx, normalized, phone);
          const actor: Actor = { type: role === 'RETAILER' ? 'retailer' : 'vendor', id: null };
          const link =
            role === 'RETAILER'
              ? {
                  retailerId: (
                    await registerRetailerIn(tx, this.ctx, { ...(party as PartyFields<RetailerInput>), phone, actor })
                  ).id,
                }
              : {
                  vendorId: (
                    await registerVendorIn(tx, this.ctx, {
                      ...(party as PartyFields<VendorInput>),
                      phone,
                      status: 'INACTIVE',
                      actor,
                    })
                  ).id,
                };
          const user = createUser(
            { email: normalized, phone, passwordHash, role, status: 'PENDING_APPROVAL', ...link },
            this.ctx.ids.next() as UserId,
            now,
          );
          await tx.users.save(user);
          await audit(tx, this.ctx, {
            actor: ANONYMOUS,
            action: 'auth.register',
            target: { type: 'user', id: user.id },
            after: userSnapshot(user),
            meta,
          });
          return accountView(user);
        },
        { label: 'register-account' },
      );
    });
    if (result.ok) this.ctx.logger.info('account registered', { userId: result.value.id, role: result.value.role });
    return result;
  }
}

export interface AccountDecisionCommand {
  readonly userId: UserId;
  readonly actor: Actor;
  /** Required to reject; optional to approve. */
  readonly reason?: string;
  readonly meta?: RequestMeta;
}

const DECISION_FAILURES = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN, ErrorCodes.AUTH_ACCOUNT_NOT_PENDING] as const;

async function pendingUser(tx: TransactionScope, userId: UserId): Promise<User> {
  const user = required(await tx.users.get(userId), 'user', userId);
  if (user.status !== 'PENDING_APPROVAL') {
    throw new IllegalStateError(ErrorCodes.AUTH_ACCOUNT_NOT_PENDING, 'the account is not pending approval', {
      status: user.status,
    });
  }
  return user;
}

/**
 * Staff let a self-registered account in: the user becomes ACTIVE, and its party too (a
 * retailer PENDING_KYC → ACTIVE with `retailer.approved`; a vendor INACTIVE → ACTIVE).
 */
export class ApproveAccount {
  static readonly failures = DECISION_FAILURES;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: AccountDecisionCommand): Promise<Outcome<AccountView, FailureCode<typeof ApproveAccount>>> {
    checkAuthCommand(cmd);
    const userId = checkId<UserId>(cmd.userId, 'userId');
    const meta = checkMeta(cmd.meta);
    const reason = cmd.reason === undefined ? 'account approved' : requiredReason(cmd.reason);
    const result = await runUseCase(ApproveAccount.failures, () => {
      const actor = checkStaffActor(cmd.actor, 'approve an account', ['admin', 'operator', 'system']);
      return this.ctx.uow.run(
        async (tx) => {
          const now = this.ctx.clock.now();
          const user = await pendingUser(tx, userId);
          const approved = withUserStatus(user, 'ACTIVE', now);
          await tx.users.save(approved);
          if (user.retailerId !== null) {
            const retailer = await tx.retailers.get(user.retailerId);
            if (retailer !== null && retailer.status === 'PENDING_KYC') {
              await tx.retailers.save(withRetailerStatus(retailer, 'ACTIVE', now));
              await persist(tx, {
                events: [
                  domainEvent(EventTypes.RETAILER_APPROVED, retailer.id, now, {
                    from: retailer.status,
                    to: 'ACTIVE',
                    reason,
                    actor: actorToJson(actor),
                  }),
                ],
              });
            }
          }
          if (user.vendorId !== null) {
            const vendor = await tx.vendors.get(user.vendorId);
            if (vendor !== null && vendor.status === 'INACTIVE') {
              await tx.vendors.save({ ...vendor, status: 'ACTIVE', updatedAt: now });
            }
          }
          await audit(tx, this.ctx, {
            actor: auditActorOf(actor),
            action: 'auth.approve',
            target: { type: 'user', id: user.id },
            before: userSnapshot(user),
            after: userSnapshot(approved),
            details: { reason },
            meta,
          });
          return accountView(approved);
        },
        { label: 'approve-account' },
      );
    });
    if (result.ok) this.ctx.logger.info('account approved', { userId });
    return result;
  }
}

/** Staff refuse a self-registered account (a reason is required): REJECTED, never logs in. */
export class RejectAccount {
  static readonly failures = DECISION_FAILURES;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: AccountDecisionCommand): Promise<Outcome<AccountView, FailureCode<typeof RejectAccount>>> {
    checkAuthCommand(cmd);
    const userId = checkId<UserId>(cmd.userId, 'userId');
    const meta = checkMeta(cmd.meta);
    const reason = requiredReason(cmd.reason);
    const result = await runUseCase(RejectAccount.failures, () => {
      const actor = checkStaffActor(cmd.actor, 'reject an account', ['admin', 'operator', 'system']);
      return this.ctx.uow.run(
        async (tx) => {
          const now = this.ctx.clock.now();
          const user = await pendingUser(tx, userId);
          const rejected = withUserStatus(user, 'REJECTED', now);
          await tx.users.save(rejected);
          await tx.refreshTokens.revokeAllForUser(user.id, now);
          await audit(tx, this.ctx, {
            actor: auditActorOf(actor),
            action: 'auth.reject',
            target: { type: 'user', id: user.id },
            before: userSnapshot(user),
            after: userSnapshot(rejected),
            details: { reason },
            meta,
          });
          return accountView(rejected);
        },
        { label: 'reject-account' },
      );
    });
    if (result.ok) this.ctx.logger.info('account rejected', { userId });
    return result;
  }
}

export interface CreateStaffUserCommand {
  readonly role: 'ADMIN' | 'OPERATOR';
  readonly email: string;
  readonly phone?: string | null;
  readonly password: string;
  /** An admin, or the system (the CLI that creates the first admin). */
  readonly actor: Actor;
  readonly meta?: RequestMeta;
}

/** An ADMIN creates ADMIN and OPERATOR users, ACTIVE at once. */
export class CreateStaffUser {
  static readonly failures = [ErrorCodes.DUPLICATE, ErrorCodes.FORBIDDEN, ErrorCodes.AUTH_WEAK_PASSWORD] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: CreateStaffUserCommand): Promise<Outcome<AccountView, FailureCode<typeof CreateStaffUser>>> {
    checkAuthCommand(cmd);
    const meta = checkMeta(cmd.meta);
    const result = await runUseCase(CreateStaffUser.failures, async () => {
      const actor = checkStaffActor(cmd.actor, 'create staff users', ['admin', 'system']);
      if (cmd.role !== 'ADMIN' && cmd.role !== 'OPERATOR') {
        throw new ValidationError('role must be ADMIN or OPERATOR', { field: 'role' }, ErrorCodes.INVALID_COMMAND);
      }
      const email = optionalEmail(cmd.email);
      if (email === null)
        throw new ValidationError('email is required', { field: 'email' }, ErrorCodes.INVALID_COMMAND);
      const phone =
        cmd.phone === undefined || cmd.phone === null ? null : PhoneNumber.parse(checkString(cmd.phone, 'phone', 40));
      const password = checkNewPassword(cmd.password, this.ctx.settings);
      const passwordHash = await this.ctx.hasher.hash(password);
      return this.ctx.uow.run(
        async (tx) => {
          const normalized = email.trim().toLowerCase();
          await ensureFree(tx, normalized, phone);
          const user = createUser(
            { email: normalized, phone, passwordHash, role: cmd.role, status: 'ACTIVE' },
            this.ctx.ids.next() as UserId,
            this.ctx.clock.now(),
          );
          await tx.users.save(user);
          await audit(tx, this.ctx, {
            actor: auditActorOf(actor),
            action: 'auth.staff_created',
            target: { type: 'user', id: user.id },
            after: userSnapshot(user),
            meta,
          });
          return accountView(user);
        },
        { label: 'create-staff-user' },
      );
    });
    if (result.ok) this.ctx.logger.info('staff user created', { userId: result.value.id, role: result.value.role });
    return result;
  }
}

export type CreatePartyUserCommand = {
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly password: string;
  /** Staff, or the system (demo data, imports). */
  readonly actor: Actor;
  readonly meta?: RequestMeta;
} & (
  | { readonly role: 'RETAILER'; readonly retailerId: RetailerId }
  | { readonly role: 'VENDOR'; readonly vendorId: VendorId }
);

/**
 * Staff give an existing retailer or vendor a login: a user of that party, ACTIVE at once
 * (the party was vetted when staff registered or approved it). The party must exist.
 */
export class CreatePartyUser {
  static readonly failures = [
    ErrorCodes.DUPLICATE,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.NOT_FOUND,
    ErrorCodes.AUTH_WEAK_PASSWORD,
    ErrorCodes.PARTY_INACTIVE,
  ] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: CreatePartyUserCommand): Promise<Outcome<AccountView, FailureCode<typeof CreatePartyUser>>> {
    checkAuthCommand(cmd);
    const meta = checkMeta(cmd.meta);
    const result = await runUseCase(CreatePartyUser.failures, async () => {
      const actor = checkStaffActor(cmd.actor, 'create party users', ['admin', 'operator', 'system']);
      if (cmd.role !== 'RETAILER' && cmd.role !== 'VENDOR') {
        throw new ValidationError('role must be RETAILER or VENDOR', { field: 'role' }, ErrorCodes.INVALID_COMMAND);
      }
      const link =
        cmd.role === 'RETAILER'
          ? { retailerId: checkId<RetailerId>(cmd.retailerId, 'retailerId') }
          : { vendorId: checkId<VendorId>(cmd.vendorId, 'vendorId') };
      const email = optionalEmail(cmd.email);
      const phone =
        cmd.phone === undefined || cmd.phone === null ? null : PhoneNumber.parse(checkString(cmd.phone, 'phone', 40));
      const password = checkNewPassword(cmd.password, this.ctx.settings);
      const passwordHash = await this.ctx.hasher.hash(password);
      return this.ctx.uow.run(
        async (tx) => {
          if ('retailerId' in link) {
            const retailer = required(await tx.retailers.get(link.retailerId), 'retailer', link.retailerId);
            if (retailer.phone.isErased) {
              // Erased for good: a new login would tie a person to it again.
              throw new IllegalStateError(ErrorCodes.PARTY_INACTIVE, 'the retailer was erased', {
                retailerId: link.retailerId,
              });
            }
          } else required(await tx.vendors.get(link.vendorId), 'vendor', link.vendorId);
          const normalized = email?.trim().toLowerCase() ?? null;
          await ensureFree(tx, normalized, phone);
          const user = createUser(
            { email: normalized, phone, passwordHash, role: cmd.role, status: 'ACTIVE', ...link },
            this.ctx.ids.next() as UserId,
            this.ctx.clock.now(),
          );
          await tx.users.save(user);
          await audit(tx, this.ctx, {
            actor: auditActorOf(actor),
            action: 'auth.user_created',
            target: { type: 'user', id: user.id },
            after: userSnapshot(user),
            meta,
          });
          return accountView(user);
        },
        { label: 'create-party-user' },
      );
    });
    if (result.ok) this.ctx.logger.info('party user created', { userId: result.value.id, role: result.value.role });
    return result;
  }
}

export interface ListAccountsQuery {
  readonly filter?: UserFilter;
  readonly page: PageRequest;
  readonly actor: Actor;
}

/** Staff list accounts, newest first (e.g. those PENDING_APPROVAL), without password hashes. */
export class ListAccounts {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(query: ListAccountsQuery): Promise<Outcome<Page<AccountView>, FailureCode<typeof ListAccounts>>> {
    checkAuthCommand(query);
    return runUseCase(ListAccounts.failures, async () => {
      checkStaffActor(query.actor, 'list accounts', ['admin', 'operator']);
      const filter = query.filter ?? {};
      if (filter.status !== undefined && !(USER_STATUSES as readonly string[]).includes(filter.status)) {
        throw new ValidationError('unknown user status', { field: 'status' }, ErrorCodes.INVALID_COMMAND);
      }
      if (filter.role !== undefined && !(ROLES as readonly string[]).includes(filter.role)) {
        throw new ValidationError('unknown role', { field: 'role' }, ErrorCodes.INVALID_COMMAND);
      }
      const page = await this.ctx.repos.users.list(filter, query.page);
      return { items: page.items.map(accountView), nextCursor: page.nextCursor };
    });
  }
}
