import { ValidationError } from '../shared/errors.js';
import type { RetailerId, UserId, VendorId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';

export const ROLES = ['ADMIN', 'OPERATOR', 'VENDOR', 'RETAILER'] as const;
export type Role = (typeof ROLES)[number];

/**
 * PENDING_APPROVAL: self-registered, waiting for staff. ACTIVE: may log in. REJECTED: staff
 * refused the registration. DISABLED: switched off after being active. Only ACTIVE logs in.
 */
export const USER_STATUSES = ['PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'DISABLED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Roles a person may give themselves; ADMIN and OPERATOR are only ever created by an ADMIN. */
export const SELF_REGISTRATION_ROLES = ['RETAILER', 'VENDOR'] as const satisfies readonly Role[];
export const STAFF_ROLES = ['ADMIN', 'OPERATOR'] as const satisfies readonly Role[];

/** A second factor (RFC 6238 TOTP). The secret is sealed outside core; core never reads it. */
export interface TotpEnrolment {
  readonly sealedSecret: string;
  /** Null until the user proves with a first code that their app holds the secret. */
  readonly confirmedAt: Date | null;
  /** The last time step a code was accepted for: a code is good once (no replay). */
  readonly lastUsedStep: number | null;
}

export interface User {
  readonly id: UserId;
  readonly email: string | null;
  readonly phone: PhoneNumber | null;
  /** An argon2id/scrypt hash produced outside the core; never the password. */
  readonly passwordHash: string;
  readonly role: Role;
  readonly retailerId: RetailerId | null;
  readonly vendorId: VendorId | null;
  readonly status: UserStatus;
  readonly totp: TotpEnrolment | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface UserInput {
  readonly email?: string | null;
  readonly phone?: PhoneNumber | null;
  readonly passwordHash: string;
  readonly role: Role;
  readonly retailerId?: RetailerId | null;
  readonly vendorId?: VendorId | null;
  /** Default ACTIVE (staff-created); self-registration passes PENDING_APPROVAL. */
  readonly status?: UserStatus;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createUser(input: UserInput, id: UserId, now: Date): User {
  if (!ROLES.includes(input.role)) throw new ValidationError('unknown role', { role: input.role });
  const email = input.email ? input.email.trim().toLowerCase() : null;
  if (email !== null && !EMAIL.test(email)) throw new ValidationError('invalid email');
  if (email === null && !input.phone) throw new ValidationError('a user needs an email or a phone');
  if (!input.passwordHash) throw new ValidationError('password hash is required');
  const retailerId = input.retailerId ?? null;
  const vendorId = input.vendorId ?? null;
  if (input.role === 'RETAILER' && retailerId === null) throw new ValidationError('a RETAILER user links a retailer');
  if (input.role === 'VENDOR' && vendorId === null) throw new ValidationError('a VENDOR user links a vendor');
  if (input.role !== 'RETAILER' && retailerId !== null)
    throw new ValidationError('only RETAILER users link a retailer');
  if (input.role !== 'VENDOR' && vendorId !== null) throw new ValidationError('only VENDOR users link a vendor');
  const status = input.status ?? 'ACTIVE';
  if (!USER_STATUSES.includes(status)) throw new ValidationError('unknown user status', { status });
  return {
    id,
    email,
    phone: input.phone ?? null,
    passwordHash: input.passwordHash,
    role: input.role,
    retailerId,
    vendorId,
    status,
    totp: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function isActiveUser(user: User): boolean {
  return user.status === 'ACTIVE';
}

export function withUserStatus(user: User, status: UserStatus, now: Date): User {
  return { ...user, status, updatedAt: now };
}
