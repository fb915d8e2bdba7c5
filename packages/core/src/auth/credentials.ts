import { isActiveUser, type User } from '../parties/user.js';
import { AuthenticationError, ErrorCodes } from '../shared/errors.js';
import type { JsonValue } from '../shared/domain-event.js';
import type { RequestMeta } from './audit.js';
import { ANONYMOUS, type AuthContext, audit, type LoginIdentifier, userActor } from './auth-context.js';
import {
  checkThrottle,
  identifierThrottleKey,
  ipThrottleKey,
  recordFailure,
  releaseAttempt,
} from './login-throttle.js';

/** Stands in for the hash of an unknown user, so both paths do one full verification. */
const NO_USER_PASSWORD = 'no such user: the verification only spends the same time';

/** The counters one attempt is throttled under. */
export interface AttemptKeys {
  /** Null for an identifier that is neither an email nor a phone (it can match no account). */
  readonly idKey: string | null;
  readonly ipKey: string | null;
  /** What the audit log may keep of the identifier (never a non-identifier: it may be a password). */
  readonly logged: string | null;
}

export function attemptKeys(identifier: LoginIdentifier, meta: RequestMeta): AttemptKeys {
  const known = identifier.kind !== 'unknown';
  return {
    idKey: known ? identifierThrottleKey(identifier.key) : null,
    ipKey: meta.ip === null ? null : ipThrottleKey(meta.ip),
    logged: known ? identifier.key : null,
  };
}

/**
 * The password step shared by login and TOTP enrolment: throttle check, one hash
 * verification whether or not the identifier exists, the failure counted and audited, and
 * an ACTIVE account required. Throws AuthenticationError (AUTH.LOCKED,
 * AUTH.INVALID_CREDENTIALS, AUTH.ACCOUNT_NOT_ACTIVE); returns the user otherwise.
 */
export class CredentialCheck {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly ctx: AuthContext) {}

  async check(
    identifier: LoginIdentifier,
    password: string,
    meta: RequestMeta,
    keys: AttemptKeys,
    action: string,
  ): Promise<User> {
    const { settings } = this.ctx;
    // Made before the first lookup of the process, so no attempt pays for it alone.
    const dummy = await this.dummy();
    // The check and the attempt's count are one locked step: an attempt counts as a failure
    // before its password is verified (given back if it turns out right), so guesses sent
    // all at once see each other and are throttled exactly like the same guesses one by one.
    const refused = await this.ctx.uow.run(
      async (tx) => {
        const now = this.ctx.clock.now();
        const id = keys.idKey === null ? null : await tx.loginThrottles.getForUpdate(keys.idKey);
        const ip = keys.ipKey === null ? null : await tx.loginThrottles.getForUpdate(keys.ipKey);
        const decisions = [
          keys.idKey === null ? null : checkThrottle(id, now, settings.identifierThrottle),
          keys.ipKey === null ? null : checkThrottle(ip, now, settings.ipThrottle),
        ].filter((d) => d !== null && !d.allowed);
        if (decisions.length > 0) return decisions;
        if (keys.idKey !== null) {
          await tx.loginThrottles.save(recordFailure(id, keys.idKey, now, settings.identifierThrottle));
        }
        if (keys.ipKey !== null) {
          await tx.loginThrottles.save(recordFailure(ip, keys.ipKey, now, settings.ipThrottle));
        }
        return [];
      },
      { label: 'login-attempt' },
    );
    if (refused.length > 0) {
      const retryAfterMs = Math.max(...refused.map((d) => d?.retryAfterMs ?? 0));
      const locked = refused.some((d) => d?.locked);
      await this.ctx.uow.run((tx) =>
        audit(tx, this.ctx, {
          actor: ANONYMOUS,
          action: `${action}_locked`,
          meta,
          details: { identifier: keys.logged, retryAfterMs, locked },
        }),
      );
      throw new AuthenticationError(
        locked ? 'too many failed logins: try again later' : 'wait before trying again',
        { retryAfterMs, locked },
        ErrorCodes.AUTH_LOCKED,
      );
    }

    const user = await this.findUser(identifier);
    const verified = await this.ctx.hasher.verify(password, user?.passwordHash ?? dummy);
    if (user === null || !verified) {
      await this.failed(keys, meta, `${action}_failed`, user, { knownUser: user !== null }, { counted: true });
      throw new AuthenticationError('unknown identifier or wrong password', {}, ErrorCodes.AUTH_INVALID_CREDENTIALS);
    }
    await this.giveBack(keys);
    if (!isActiveUser(user)) {
      await this.ctx.uow.run((tx) =>
        audit(tx, this.ctx, {
          actor: userActor(user),
          action: `${action}_refused`,
          target: { type: 'user', id: user.id },
          meta,
          details: { status: user.status },
        }),
      );
      throw new AuthenticationError(
        'this account is not active',
        { status: user.status },
        ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE,
      );
    }
    return user;
  }

  /**
   * A failed attempt (a wrong password or a wrong second factor): counted under both keys
   * (unless `counted`: check() counts every password attempt up front) and audited.
   */
  async failed(
    keys: AttemptKeys,
    meta: RequestMeta,
    action: string,
    user: User | null,
    details: { [key: string]: JsonValue },
    options: { readonly counted?: boolean } = {},
  ): Promise<void> {
    const { settings } = this.ctx;
    await this.ctx.uow.run(
      async (tx) => {
        const t = this.ctx.clock.now();
        // A wrong password was already counted when check() let its attempt through.
        if (options.counted !== true && keys.idKey !== null) {
          const current = await tx.loginThrottles.getForUpdate(keys.idKey);
          await tx.loginThrottles.save(recordFailure(current, keys.idKey, t, settings.identifierThrottle));
        }
        if (options.counted !== true && keys.ipKey !== null) {
          const current = await tx.loginThrottles.getForUpdate(keys.ipKey);
          await tx.loginThrottles.save(recordFailure(current, keys.ipKey, t, settings.ipThrottle));
        }
        await audit(tx, this.ctx, {
          actor: ANONYMOUS,
          action,
          target: user === null ? null : { type: 'user', id: user.id },
          meta,
          details: { identifier: keys.logged, ...details },
        });
      },
      { label: 'login-failed' },
    );
  }

  /** The right password: the failure check() counted up front for this attempt is taken back. */
  private async giveBack(keys: AttemptKeys): Promise<void> {
    const { settings } = this.ctx;
    await this.ctx.uow.run(
      async (tx) => {
        if (keys.idKey !== null) {
          const current = await tx.loginThrottles.getForUpdate(keys.idKey);
          if (current !== null) await tx.loginThrottles.save(releaseAttempt(current, settings.identifierThrottle));
        }
        if (keys.ipKey !== null) {
          const current = await tx.loginThrottles.getForUpdate(keys.ipKey);
          if (current !== null) await tx.loginThrottles.save(releaseAttempt(current, settings.ipThrottle));
        }
      },
      { label: 'login-attempt-released' },
    );
  }

  private async findUser(identifier: LoginIdentifier): Promise<User | null> {
    const users = this.ctx.repos.users;
    if (identifier.kind === 'email') return users.getByEmail(identifier.key);
    if (identifier.kind === 'phone') return users.getByPhone(identifier.phone);
    return null;
  }

  /** Hashed once per process with the live hasher, so its cost matches real hashes. */
  private dummy(): Promise<string> {
    this.dummyHash ??= this.ctx.hasher.hash(NO_USER_PASSWORD);
    return this.dummyHash;
  }
}
