import { randomUUID, webcrypto } from 'node:crypto';
import { AuthenticationError, type Clock, ErrorCodes, type Principal, type UserId } from '@khaacho/core';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface AccessTokenConfig {
  /** HS256 key: at least 32 bytes (UTF-8). */
  readonly jwtSecret: string;
  readonly accessTtlSeconds: number;
  readonly issuer: string;
}

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Seconds of clock skew between API instances that a token's `iat`/`exp` may be off by. */
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TOKEN_LENGTH = 4096;

/**
 * Short-lived JWT access tokens, HS256 only (`alg` is pinned on verification, so `none` and
 * any other algorithm are refused), with `sub` (user id), `role`, `iss`, `iat`, `exp` and a
 * random `jti`. Time comes from the Clock port, for signing and for checking expiry.
 */
export class JwtAccessTokens {
  /*
   * Given raw bytes, jose 6 imports them as a WebCrypto key on every sign and verify (two
   * thread-pool jobs per request: 8 % of the order-intake profile). The key is imported once.
   */
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    private readonly config: AccessTokenConfig,
    private readonly clock: Clock,
  ) {
    const raw = new TextEncoder().encode(config.jwtSecret);
    if (raw.byteLength < 32) throw new RangeError('jwtSecret must be at least 32 bytes');
    if (!Number.isSafeInteger(config.accessTtlSeconds) || config.accessTtlSeconds < 1) {
      throw new RangeError('accessTtlSeconds must be a whole number ≥ 1');
    }
    if (config.issuer.length === 0) throw new RangeError('issuer is required');
    this.key = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async sign(principal: Principal): Promise<SignedAccessToken> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + this.config.accessTtlSeconds;
    const token = await new SignJWT({ role: principal.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(this.config.issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(await this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The user id a valid token names; AuthenticationError (TOKEN_EXPIRED or TOKEN_INVALID) otherwise. */
  async verify(token: string): Promise<UserId> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too long');
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: this.config.issuer,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof payload.sub !== 'string') throw invalid('no subject');
      return payload.sub as UserId;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new AuthenticationError('the access token has expired', {}, ErrorCodes.AUTH_TOKEN_EXPIRED);
      }
      if (AuthenticationError.is(error)) throw error;
      // jose's own reasons (bad signature, alg, claim) are not echoed: "invalid" is all a caller learns.
      throw invalid('rejected');
    }
  }
}

function invalid(reason: string): AuthenticationError {
  return new AuthenticationError('invalid access token', { reason }, ErrorCodes.AUTH_TOKEN_INVALID);
}
