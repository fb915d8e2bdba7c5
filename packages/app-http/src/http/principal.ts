import type { Actor } from '@khaacho/core';
import type { Principal } from '../auth/authenticator.js';

// One definition of who is calling: the auth module's (src/auth), re-exported for the routes.
export { AUTHENTICATOR, type Authenticator, type Principal } from '../auth/authenticator.js';

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
