import { randomUUID, webcrypto } from 'node:crypto';
import { AuthenticationError, type Clock, ErrorCodes, type Principal, type UserId } from '@khaacho/core';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface AccessTokenConfig {
  /** HS256 key: at least 32 bytes (UTF-8). */
  readonly jwtSecret: string;
  readonly accessTtlSeconds: number;
  readonly issuer: string;
  /** Verified tokens remembered until they expire (default 10,000; 0: none). */
  readonly verifiedCacheSize?: number;
}

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Seconds of clock skew between API instances that a token's `iat`/`exp` may be off by. */
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TOKEN_LENGTH = 4096;
const DEFAULT_VERIFIED_CACHE_SIZE = 10_000;

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
  /*
   * A client sends the same access token with every request of its life, and each jose
   * verification is a WebCrypto HMAC job handed to the thread pool and back: on the read
   * benchmark (2 shared cores) that hand-off was ~8 % of the API's CPU. A token string that
   * verified once is the same signed bytes under the same key, so only its expiry is checked
   * again. Bounded (oldest out first; at most ~4 MB at 10,000), entries leave on expiry.
   */
  private readonly verified = new Map<string, { readonly userId: UserId; readonly exp: number }>();
  private readonly verifiedCacheSize: number;

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
    this.verifiedCacheSize = config.verifiedCacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE;
    if (!Number.isSafeInteger(this.verifiedCacheSize) || this.verifiedCacheSize < 0) {
      throw new RangeError('verifiedCacheSize must be a whole number ≥ 0');
    }
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
    const known = this.verified.get(token);
    if (known) {
      // jose's rule: expired when exp <= now - tolerance.
      if (known.exp > Math.floor(this.clock.now().getTime() / 1000) - CLOCK_TOLERANCE_SECONDS) return known.userId;
      this.verified.delete(token);
      throw expired();
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ['HS256'],
        issuer: this.config.issuer,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof payload.sub !== 'string') throw invalid('no subject');
      const userId = payload.sub as UserId;
      this.remember(token, userId, payload.exp as number);
      return userId;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw expired();
      if (AuthenticationError.is(error)) throw error;
      // jose's own reasons (bad signature, alg, claim) are not echoed: "invalid" is all a caller learns.
      throw invalid('rejected');
    }
  }

  /** How many verified tokens are remembered now (at most `verifiedCacheSize`). */
  get rememberedTokens(): number {
    return this.verified.size;
  }

  private remember(token: string, userId: UserId, exp: number): void {
    if (this.verifiedCacheSize === 0) return;
    if (this.verified.size >= this.verifiedCacheSize) {
      // Expired entries go first; if none had, the oldest remembered (Map keeps insertion order).
      const now = Math.floor(this.clock.now().getTime() / 1000) - CLOCK_TOLERANCE_SECONDS;
      for (const [key, entry] of this.verified) if (entry.exp <= now) this.verified.delete(key);
      if (this.verified.size >= this.verifiedCacheSize) {
        const oldest = this.verified.keys().next();
        if (!oldest.done) this.verified.delete(oldest.value);
      }
    }
    this.verified.set(token, { userId, exp });
  }
}

function expired(): AuthenticationError {
  return new AuthenticationError('the access token has expired', {}, ErrorCodes.AUTH_TOKEN_EXPIRED);
}

function invalid(reason: string): AuthenticationError {
  return new AuthenticationError('invalid access token', { reason }, ErrorCodes.AUTH_TOKEN_INVALID);
}
