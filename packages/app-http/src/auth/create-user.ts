import {
  type AccountView,
  AUTH_USE_CASES,
  DomainError,
  type RetailerId,
  SYSTEM_ACTOR,
  type Token,
  type VendorId,
} from '@khaacho/core';

export type CreateUserInput =
  | {
      readonly role: 'ADMIN' | 'OPERATOR';
      readonly email: string;
      readonly phone?: string | null;
      readonly password: string;
    }
  | {
      readonly role: 'RETAILER';
      readonly retailerId: RetailerId;
      readonly email?: string | null;
      readonly phone?: string | null;
      readonly password: string;
    }
  | {
      readonly role: 'VENDOR';
      readonly vendorId: VendorId;
      readonly email?: string | null;
      readonly phone?: string | null;
      readonly password: string;
    };

/**
 * Creates an ACTIVE user with a password as the system (audited with actor `system`): the
 * first ADMIN (CLI `khaacho-http create-admin`) and the demo users of `npm start`. A RETAILER
 * or VENDOR user is linked to a party that already exists. Fails with the core error of
 * the failure (ENTITY.DUPLICATE when the email or phone is taken, AUTH.WEAK_PASSWORD …).
 */
export async function createUserWithPassword(
  resolve: <T>(token: Token<T>) => T,
  input: CreateUserInput,
): Promise<AccountView> {
  const auth = resolve(AUTH_USE_CASES);
  const outcome =
    input.role === 'RETAILER' || input.role === 'VENDOR'
      ? await auth.createPartyUser.execute({ ...input, actor: SYSTEM_ACTOR })
      : await auth.createStaffUser.execute({ ...input, actor: SYSTEM_ACTOR });
  if (outcome.ok) return outcome.value;
  const { kind, code, message, details } = outcome.error;
  throw new DomainError(kind, code, message, details);
}
