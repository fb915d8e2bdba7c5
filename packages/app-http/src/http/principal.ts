import { type Actor, type RetailerId, type Role, type Token, token, type UserId, type VendorId } from '@khaacho/core';
import { HttpError, HttpErrorCodes } from './error-statuses.js';

/*
 * The seam with branch `auth` (notes/seam-auth-http.md): it implements these in
 * `src/auth/` and binds AUTHENTICATOR. The token is core's `token('Authenticator')`, i.e.
 * `Symbol.for('khaacho.Authenticator')`, so the binding auth makes is the one read here.
 */

/** Who is calling, as the authenticator vouches. */
export interface Principal {
  readonly userId: UserId;
  readonly role: Role;
  readonly retailerId: RetailerId | null;
  readonly vendorId: VendorId | null;
}

/** Verifies `Authorization: Bearer …`; rejects (→ 401) when missing, expired, forged or inactive. */
export interface Authenticator {
  authenticate(authorizationHeader: string | undefined): Promise<Principal>;
}

export const AUTHENTICATOR: Token<Authenticator> = token('Authenticator');

/**
 * What the app uses when nothing authenticates yet (no auth module bound): every
 * protected route answers 401. Public routes (health, OpenAPI, docs) still work.
 */
export const NO_AUTHENTICATION: Authenticator = Object.freeze({
  authenticate: async () => {
    throw new HttpError(401, HttpErrorCodes.UNAUTHENTICATED, 'authentication is not configured on this server');
  },
});

/** The actor core records for what this principal does. */
export function actorOf(principal: Principal): Actor {
  switch (principal.role) {
    case 'RETAILER':
      return { type: 'retailer', id: principal.retailerId };
    case 'VENDOR':
      return { type: 'vendor', id: principal.vendorId };
    case 'OPERATOR':
      return { type: 'operator', id: principal.userId };
    case 'ADMIN':
      return { type: 'admin', id: principal.userId };
  }
}

export function isStaff(principal: Principal): boolean {
  return principal.role === 'ADMIN' || principal.role === 'OPERATOR';
}
