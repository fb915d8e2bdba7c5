import type { Page, PageRequest } from '../ports/pagination.js';
import type { UserId } from '../shared/ids.js';
import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';
import type { AuditEntry, AuditFilter } from './audit.js';
import type { LoginThrottle } from './login-throttle.js';
import type { RefreshTokenRecord } from './refresh-token.js';

/**
 * Port: password hashing, implemented outside core (scrypt or argon2id). `hash` salts each
 * call; the result carries its own parameters, so `verify` needs nothing else and old
 * hashes stay verifiable when the parameters change.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash this hasher cannot read; never throws on either. */
  verify(password: string, hash: string): Promise<boolean>;
}

/**
 * Port: opaque secrets for refresh tokens. `issue` returns a fresh random token (what the
 * client holds) and its digest (what the store holds); `digest` is deterministic, so a
 * presented token is found by its digest and the store never sees a usable token.
 */
export interface OpaqueTokenIssuer {
  issue(): { readonly token: string; readonly digest: string };
  digest(token: string): string;
}

/**
 * Port: RFC 6238 time-based one-time passwords (30 s steps, 6 digits). The secret is sealed
 * (encrypted) by the adapter before core stores it, so a leaked database holds no usable
 * second factor.
 */
export interface TotpAuthenticator {
  /** A new secret: base32 `secret` and an `otpauth://` `uri` for the user's app (shown once); `sealed` for the store. */
  enrol(accountName: string): { readonly secret: string; readonly uri: string; readonly sealed: string };
  /**
   * The time step `code` is valid for at `at`, allowing one step of drift either way, or
   * null: a wrong or malformed code, or a sealed secret this adapter cannot open. Never throws.
   */
  verify(sealed: string, code: string, at: Date): number | null;
}

/**
 * Refresh tokens by family. A login starts a family; each refresh replaces the presented
 * token by a new one of the same family. Presenting a token that was already replaced or
 * revoked is reuse: the caller revokes the whole family.
 */
export interface RefreshTokenRepository {
  /** Unique digest (ENTITY.DUPLICATE). */
  insert(record: RefreshTokenRecord): Promise<void>;
  findByDigest(digest: string): Promise<RefreshTokenRecord | null>;
  /**
   * Mark `id` replaced by `replacedBy`, only if it is neither replaced nor revoked yet: true
   * when this call did it. Of two concurrent rotations of one token exactly one wins.
   */
  markReplaced(id: string, replacedBy: string, at: Date): Promise<boolean>;
  /** Revoke every token of the family not revoked yet (replaced ones too); returns how many. */
  revokeFamily(familyId: string, at: Date): Promise<number>;
  /** The same for every family of the user (rejection, disabling). */
  revokeAllForUser(userId: UserId, at: Date): Promise<number>;
  /** Remove tokens that expired before `before` (housekeeping); returns how many. */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

/** Failed-login counters per key (`id:<identifier>` or `ip:<address>`). */
export interface LoginThrottleRepository {
  get(key: string): Promise<LoginThrottle | null>;
  /**
   * The key's counter, held until the transaction ends where the store can lock it (the
   * in-memory store serialises transactions), so two concurrent failures both count.
   */
  getForUpdate(key: string): Promise<LoginThrottle | null>;
  save(throttle: LoginThrottle): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Remove counters whose last failure is before `before` and whose lockout (if any) ended
   * before it too (housekeeping; the caller picks `before` past every window); returns how many.
   */
  deleteStale(before: Date, limit: number): Promise<number>;
}

/** Append-only: entries are never changed or removed (PostgreSQL enforces it with a trigger). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first (at desc, id desc), keyset-paginated. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

/** The auth repositories, part of every `Repositories` bundle (and so of every transaction). */
export interface AuthRepositories {
  readonly refreshTokens: RefreshTokenRepository;
  readonly loginThrottles: LoginThrottleRepository;
  readonly auditLog: AuditLog;
}

export const AUTH_REPOSITORY_TOKENS: TokenMap<AuthRepositories> = tokenMap<AuthRepositories>({
  refreshTokens: 'RefreshTokenRepository',
  loginThrottles: 'LoginThrottleRepository',
  auditLog: 'AuditLog',
});

export const PASSWORD_HASHER: Token<PasswordHasher> = token('PasswordHasher');
export const OPAQUE_TOKEN_ISSUER: Token<OpaqueTokenIssuer> = token('OpaqueTokenIssuer');
export const TOTP_AUTHENTICATOR: Token<TotpAuthenticator> = token('TotpAuthenticator');
