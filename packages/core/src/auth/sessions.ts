import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import { isActiveUser, type User } from '../parties/user.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import {
  AuthenticationError,
  type DomainError,
  type ErrorCode,
  ErrorCodes,
  ValidationError,
} from '../shared/errors.js';
import { isUuid, type UserId } from '../shared/ids.js';
import type { RequestMeta } from './audit.js';
import {
  ANONYMOUS,
  type AuthContext,
  audit,
  checkAuthCommand,
  checkMeta,
  checkString,
  isStaffRole,
  type LoginIdentifier,
  parseLoginIdentifier,
  type Principal,
  principalOf,
  userActor,
} from './auth-context.js';
import { type AttemptKeys, attemptKeys, type CredentialCheck } from './credentials.js';
import { type RefreshTokenRecord, refreshTokenState } from './refresh-token.js';

/** A session granted by a login or a rotation: app-http signs an access token for `principal`. */
export interface SessionGrant {
  readonly principal: Principal;
  /** Opaque; shown to the client once, stored only as its digest. */
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
  /** The session family: every rotation of this login shares it. */
  readonly sessionId: string;
}

export interface LoginCommand {
  /** An email or a phone number. */
  readonly identifier: string;
  readonly password: string;
  /** The current code of the user's TOTP app, where the account needs one. */
  readonly totpCode?: string | null;
  readonly meta?: RequestMeta;
}

const MAX_IDENTIFIER = 320;
const MAX_PRESENTED_PASSWORD = 1024;
const MAX_REFRESH_TOKEN = 200;

/** A code: 6 digits (what authenticator apps show), as text. */
const TOTP_CODE = /^[0-9]{6}$/;

/**
 * Email or phone + password (+ a TOTP code where one is required) → a session. Unknown
 * identifier and wrong password answer the same failure after the same work (one hash
 * verification each). Failures count per identifier and per address: backoff after a few,
 * lockout after many (AUTH.LOCKED, with retryAfterMs; the password is then not even
 * checked). A right password for an account that is not ACTIVE answers
 * AUTH.ACCOUNT_NOT_ACTIVE. ADMIN and OPERATOR (and anyone who enrolled) also need a TOTP
 * code: AUTH.TOTP_ENROLMENT_REQUIRED before enrolment, AUTH.TOTP_REQUIRED without a code,
 * AUTH.TOTP_INVALID for a wrong or replayed one (counted like a wrong password). Every
 * attempt is audited.
 */
export class Login {
  static readonly failures = [
    ErrorCodes.AUTH_INVALID_CREDENTIALS,
    ErrorCodes.AUTH_LOCKED,
    ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE,
    ErrorCodes.AUTH_TOTP_REQUIRED,
    ErrorCodes.AUTH_TOTP_ENROLMENT_REQUIRED,
    ErrorCodes.AUTH_TOTP_INVALID,
  ] as const;

  constructor(
    private readonly ctx: AuthContext,
    private readonly credentials: CredentialCheck,
  ) {}

  async execute(cmd: LoginCommand): Promise<Outcome<SessionGrant, FailureCode<typeof Login>>> {
    checkAuthCommand(cmd);
    const raw = checkString(cmd.identifier, 'identifier', MAX_IDENTIFIER);
    const password = checkString(cmd.password, 'password', MAX_PRESENTED_PASSWORD);
    const totpCode =
      cmd.totpCode === undefined || cmd.totpCode === null ? null : checkString(cmd.totpCode, 'totpCode', 10);
    const meta = checkMeta(cmd.meta);
    const identifier = parseLoginIdentifier(raw);
    const result = await runUseCase(Login.failures, () => this.login(identifier, password, totpCode, meta));
    if (result.ok) this.ctx.logger.info('login', { userId: result.value.principal.userId });
    else this.ctx.logger.info('login refused', { code: result.error.code, ip: meta.ip });
    return result;
  }

  private async login(
    identifier: LoginIdentifier,
    password: string,
    totpCode: string | null,
    meta: RequestMeta,
  ): Promise<SessionGrant> {
    const keys = attemptKeys(identifier, meta);
    const user = await this.credentials.check(identifier, password, meta, keys, 'auth.login');
    const step = await this.secondFactor(user, totpCode, keys, meta);
    return this.ctx.uow.run(
      async (tx) => {
        // Read again under the transaction: a rejection committed since the check wins.
        const current = await tx.users.get(user.id);
        if (current === null || !isActiveUser(current)) {
          throw new AuthenticationError('this account is not active', {}, ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE);
        }
        if (step !== null) {
          // Two logins with one code at once: the second sees the step used and fails.
          const last = current.totp?.lastUsedStep ?? null;
          if (current.totp === null || (last !== null && step <= last)) {
            throw new AuthenticationError('this code was already used', {}, ErrorCodes.AUTH_TOTP_INVALID);
          }
          await tx.users.save({ ...current, totp: { ...current.totp, lastUsedStep: step } });
        }
        if (keys.idKey !== null) await tx.loginThrottles.delete(keys.idKey);
        const grant = await startSession(tx, this.ctx, current, this.ctx.ids.next(), this.ctx.ids.next());
        await audit(tx, this.ctx, {
          actor: userActor(current),
          action: 'auth.login',
          target: { type: 'user', id: current.id },
          meta,
          details: { sessionId: grant.sessionId, secondFactor: step !== null },
        });
        return grant;
      },
      { label: 'login' },
    );
  }

  /** The TOTP step accepted for this login, or null when the account needs none. */
  private async secondFactor(
    user: User,
    code: string | null,
    keys: AttemptKeys,
    meta: RequestMeta,
  ): Promise<number | null> {
    const confirmed = user.totp !== null && user.totp.confirmedAt !== null ? user.totp : null;
    const required = confirmed !== null || (this.ctx.settings.requireTotpForStaff && isStaffRole(user.role));
    if (!required) return null;
    const refuse = async (code: ErrorCode, message: string, reason: string) => {
      await this.ctx.uow.run((tx) =>
        audit(tx, this.ctx, {
          actor: userActor(user),
          action: 'auth.login_refused',
          target: { type: 'user', id: user.id },
          meta,
          details: { reason },
        }),
      );
      return new AuthenticationError(message, {}, code);
    };
    if (confirmed === null) {
      throw await refuse(
        ErrorCodes.AUTH_TOTP_ENROLMENT_REQUIRED,
        'enrol a TOTP app first (/auth/totp/enrol, then /auth/totp/confirm)',
        'totp enrolment required',
      );
    }
    if (code === null) throw await refuse(ErrorCodes.AUTH_TOTP_REQUIRED, 'a TOTP code is required', 'totp required');
    const step = TOTP_CODE.test(code) ? this.ctx.totp.verify(confirmed.sealedSecret, code, this.ctx.clock.now()) : null;
    if (step === null || (confirmed.lastUsedStep !== null && step <= confirmed.lastUsedStep)) {
      await this.credentials.failed(keys, meta, 'auth.login_failed', user, { factor: 'totp' });
      throw new AuthenticationError('wrong or used TOTP code', {}, ErrorCodes.AUTH_TOTP_INVALID);
    }
    return step;
  }
}

/** A new token `tokenId` in `familyId` (a fresh login passes a new family id). */
async function startSession(
  tx: TransactionScope,
  ctx: AuthContext,
  user: User,
  familyId: string,
  tokenId: string,
): Promise<SessionGrant> {
  const now = ctx.clock.now();
  const issued = ctx.tokens.issue();
  const record: RefreshTokenRecord = {
    id: tokenId,
    userId: user.id,
    familyId,
    digest: issued.digest,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.settings.refreshTtlMs),
    revokedAt: null,
    replacedBy: null,
  };
  await tx.refreshTokens.insert(record);
  return {
    principal: principalOf(user),
    refreshToken: issued.token,
    refreshTokenExpiresAt: record.expiresAt,
    sessionId: familyId,
  };
}

export interface RefreshCommand {
  readonly refreshToken: string;
  readonly meta?: RequestMeta;
}

type Refreshed = { readonly grant: SessionGrant } | { readonly refused: DomainError };

function refusedToken(reason: string): { refused: DomainError } {
  return { refused: new AuthenticationError('invalid refresh token', { reason }, ErrorCodes.AUTH_TOKEN_INVALID) };
}

/**
 * A live refresh token → a new one in the same family (the presented one is spent). A token
 * already replaced is reuse, a sign it was stolen: the whole family is revoked, so the
 * newest token stops working too, and the event is audited. Unknown, expired and revoked
 * tokens, and tokens of an account no longer ACTIVE, answer AUTH.INVALID_TOKEN alike.
 */
export class RotateRefreshToken {
  static readonly failures = [ErrorCodes.AUTH_TOKEN_INVALID] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: RefreshCommand): Promise<Outcome<SessionGrant, FailureCode<typeof RotateRefreshToken>>> {
    checkAuthCommand(cmd);
    const token = checkString(cmd.refreshToken, 'refreshToken', MAX_REFRESH_TOKEN);
    const meta = checkMeta(cmd.meta);
    const digest = this.ctx.tokens.digest(token);
    const result = await runUseCase(RotateRefreshToken.failures, async () => {
      const out = await this.ctx.uow.run((tx) => this.rotate(tx, digest, meta), { label: 'refresh' });
      if ('refused' in out) throw out.refused;
      return out.grant;
    });
    if (!result.ok) this.ctx.logger.warn('refresh refused', { reason: result.error.details.reason, ip: meta.ip });
    return result;
  }

  private async rotate(tx: TransactionScope, digest: string, meta: RequestMeta): Promise<Refreshed> {
    const now = this.ctx.clock.now();
    const record = await tx.refreshTokens.findByDigest(digest);
    if (record === null) {
      await audit(tx, this.ctx, {
        actor: ANONYMOUS,
        action: 'auth.refresh_refused',
        meta,
        details: { reason: 'unknown' },
      });
      return refusedToken('unknown');
    }
    const target = { type: 'user', id: record.userId };
    const actor = { type: 'user' as const, id: record.userId, role: null };
    const state = refreshTokenState(record, now);
    if (state === 'replaced') return this.reuse(tx, record, meta);
    if (state !== 'live') {
      await audit(tx, this.ctx, { actor, action: 'auth.refresh_refused', target, meta, details: { reason: state } });
      return refusedToken(state);
    }
    const user = await tx.users.get(record.userId);
    if (user === null || !isActiveUser(user)) {
      await tx.refreshTokens.revokeFamily(record.familyId, now);
      await audit(tx, this.ctx, {
        actor,
        action: 'auth.refresh_refused',
        target,
        meta,
        details: { reason: 'account not active', sessionId: record.familyId },
      });
      return refusedToken('account not active');
    }
    const next = this.ctx.ids.next();
    // Of two rotations of the same token, the loser sees it replaced: reuse, as if replayed later.
    if (!(await tx.refreshTokens.markReplaced(record.id, next, now))) return this.reuse(tx, record, meta);
    const grant = await startSession(tx, this.ctx, user, record.familyId, next);
    await audit(tx, this.ctx, {
      actor: userActor(user),
      action: 'auth.refresh',
      target,
      meta,
      details: { sessionId: record.familyId },
    });
    return { grant };
  }

  private async reuse(tx: TransactionScope, record: RefreshTokenRecord, meta: RequestMeta): Promise<Refreshed> {
    const revoked = await tx.refreshTokens.revokeFamily(record.familyId, this.ctx.clock.now());
    await audit(tx, this.ctx, {
      actor: { type: 'user', id: record.userId, role: null },
      action: 'auth.refresh_reuse',
      target: { type: 'user', id: record.userId },
      meta,
      details: { sessionId: record.familyId, revoked },
    });
    return refusedToken('reused');
  }
}

export interface LogoutCommand {
  readonly refreshToken: string;
  readonly meta?: RequestMeta;
}

/**
 * Ends the session the refresh token belongs to: its whole family is revoked. Idempotent:
 * an unknown or already revoked token is not an error (there is nothing left to end).
 */
export class Logout {
  static readonly failures = [] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: LogoutCommand): Promise<Outcome<{ readonly revoked: number }, never>> {
    checkAuthCommand(cmd);
    const token = checkString(cmd.refreshToken, 'refreshToken', MAX_REFRESH_TOKEN);
    const meta = checkMeta(cmd.meta);
    const digest = this.ctx.tokens.digest(token);
    return runUseCase(Logout.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          const record = await tx.refreshTokens.findByDigest(digest);
          if (record === null) return { revoked: 0 };
          const revoked = await tx.refreshTokens.revokeFamily(record.familyId, this.ctx.clock.now());
          await audit(tx, this.ctx, {
            actor: { type: 'user', id: record.userId, role: null },
            action: 'auth.logout',
            target: { type: 'user', id: record.userId },
            meta,
            details: { sessionId: record.familyId, revoked },
          });
          return { revoked };
        },
        { label: 'logout' },
      ),
    );
  }
}

/** The access-token side: is this user (still) allowed in? For app-http's Authenticator. */
export class GetActivePrincipal {
  static readonly failures = [ErrorCodes.AUTH_TOKEN_INVALID] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(query: {
    readonly userId: UserId;
  }): Promise<Outcome<Principal, FailureCode<typeof GetActivePrincipal>>> {
    checkAuthCommand(query);
    const { userId } = query;
    return runUseCase(GetActivePrincipal.failures, async () => {
      const user = typeof userId === 'string' && isUuid(userId) ? await this.ctx.repos.users.get(userId) : null;
      if (user === null || !isActiveUser(user)) {
        throw new AuthenticationError('the account is not active', {}, ErrorCodes.AUTH_TOKEN_INVALID);
      }
      return principalOf(user);
    });
  }
}

/**
 * Housekeeping for a scheduled job: refresh tokens expired for longer than `retentionMs`
 * (a replay of one that old is refused as unknown rather than as reuse, which refuses it
 * all the same) and login counters idle for as long, in batches of `batchSize`.
 */
export class PurgeAuthRecords {
  static readonly failures = [] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: {
    readonly retentionMs: number;
    readonly batchSize?: number;
  }): Promise<Outcome<{ readonly refreshTokens: number; readonly loginThrottles: number }, never>> {
    checkAuthCommand(cmd);
    const batch = cmd.batchSize ?? 1000;
    const longest = Math.max(this.ctx.settings.identifierThrottle.windowMs, this.ctx.settings.ipThrottle.windowMs);
    if (!Number.isSafeInteger(cmd.retentionMs) || cmd.retentionMs < longest) {
      throw new ValidationError(
        'retentionMs must be a whole number of ms, at least the longest throttle window',
        { field: 'retentionMs', min: longest },
        ErrorCodes.INVALID_COMMAND,
      );
    }
    if (!Number.isSafeInteger(batch) || batch < 1 || batch > 10_000) {
      throw new ValidationError('batchSize must be 1-10000', { field: 'batchSize' }, ErrorCodes.INVALID_COMMAND);
    }
    const before = new Date(this.ctx.clock.now().getTime() - cmd.retentionMs);
    return runUseCase(PurgeAuthRecords.failures, async () => {
      const refreshTokens = await this.ctx.repos.refreshTokens.deleteExpired(before, batch);
      const loginThrottles = await this.ctx.repos.loginThrottles.deleteStale(before, batch);
      if (refreshTokens + loginThrottles > 0) {
        this.ctx.logger.info('auth records purged', { refreshTokens, loginThrottles });
      }
      return { refreshTokens, loginThrottles };
    });
  }
}
