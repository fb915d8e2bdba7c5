import {
  AuthenticationError,
  type AuthUseCases,
  DomainError,
  ErrorCodes,
  type Principal,
  type Token,
  token,
} from '@khaacho/core';
import type { JwtAccessTokens } from './access-tokens.js';

export type { Principal } from '@khaacho/core';

/** Verifies `Authorization: Bearer <jwt>`; rejects with AuthenticationError (→ 401) when
 *  missing, expired, forged, or the user is inactive/not approved. */
export interface Authenticator {
  authenticate(authorizationHeader: string | undefined): Promise<Principal>;
}

export const AUTHENTICATOR: Token<Authenticator> = token('Authenticator');

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * The token says who; the store says whether they may still come in, and as what: the
 * principal is read fresh for every request, so a rejected or disabled account, or a
 * changed role, takes effect at once rather than when the token expires.
 */
export class JwtAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: JwtAccessTokens,
    private readonly auth: Pick<AuthUseCases, 'getActivePrincipal'>,
  ) {}

  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw new AuthenticationError('an access token is required', {}, ErrorCodes.AUTH_UNAUTHENTICATED);
    }
    const m = BEARER.exec(header.trim());
    if (!m?.[1]) {
      throw new AuthenticationError('use Authorization: Bearer <access token>', {}, ErrorCodes.AUTH_TOKEN_INVALID);
    }
    const userId = await this.tokens.verify(m[1]);
    const found = await this.auth.getActivePrincipal.execute({ userId });
    if (!found.ok) {
      const { kind, code, message, details } = found.error;
      throw new DomainError(kind, code, message, details);
    }
    return found.value;
  }
}
