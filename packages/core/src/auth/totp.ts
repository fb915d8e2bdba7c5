import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import { isActiveUser } from '../parties/user.js';
import { AuthenticationError, ErrorCodes, IllegalStateError } from '../shared/errors.js';
import type { RequestMeta } from './audit.js';
import {
  type AuthContext,
  audit,
  checkAuthCommand,
  checkMeta,
  checkString,
  parseLoginIdentifier,
  userActor,
} from './auth-context.js';
import { attemptKeys, type CredentialCheck } from './credentials.js';

export interface TotpEnrolmentCommand {
  readonly identifier: string;
  readonly password: string;
  readonly meta?: RequestMeta;
}

export interface TotpConfirmationCommand extends TotpEnrolmentCommand {
  /** The first code the user's app shows for the new secret. */
  readonly code: string;
}

/** What the user's app needs, shown once: the base32 secret and an `otpauth://` URI (for a QR code). */
export interface TotpEnrolmentView {
  readonly secret: string;
  readonly uri: string;
}

const PASSWORD_FAILURES = [
  ErrorCodes.AUTH_INVALID_CREDENTIALS,
  ErrorCodes.AUTH_LOCKED,
  ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE,
] as const;

/**
 * Starts TOTP enrolment with the password (staff cannot hold a session before they have a
 * second factor, so this step authenticates as login does, under the same throttle). A new
 * secret replaces an unconfirmed one; once confirmed, enrolling again is AUTH.TOTP_STATE.
 */
export class EnrolTotp {
  static readonly failures = [...PASSWORD_FAILURES, ErrorCodes.AUTH_TOTP_STATE] as const;

  constructor(
    private readonly ctx: AuthContext,
    private readonly credentials: CredentialCheck,
  ) {}

  async execute(cmd: TotpEnrolmentCommand): Promise<Outcome<TotpEnrolmentView, FailureCode<typeof EnrolTotp>>> {
    checkAuthCommand(cmd);
    const identifier = parseLoginIdentifier(checkString(cmd.identifier, 'identifier', 320));
    const password = checkString(cmd.password, 'password', 1024);
    const meta = checkMeta(cmd.meta);
    return runUseCase(EnrolTotp.failures, async () => {
      const keys = attemptKeys(identifier, meta);
      const user = await this.credentials.check(identifier, password, meta, keys, 'auth.totp_enrol');
      const enrolment = this.ctx.totp.enrol(user.email ?? user.phone?.value ?? user.id);
      await this.ctx.uow.run(
        async (tx) => {
          const current = await tx.users.get(user.id);
          if (current === null || !isActiveUser(current)) {
            throw new AuthenticationError('this account is not active', {}, ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE);
          }
          if (current.totp?.confirmedAt) {
            throw new IllegalStateError(ErrorCodes.AUTH_TOTP_STATE, 'a TOTP app is already enrolled', {
              state: 'confirmed',
            });
          }
          const now = this.ctx.clock.now();
          await tx.users.save({
            ...current,
            totp: { sealedSecret: enrolment.sealed, confirmedAt: null, lastUsedStep: null },
            updatedAt: now,
          });
          await audit(tx, this.ctx, {
            actor: userActor(current),
            action: 'auth.totp_enrol',
            target: { type: 'user', id: current.id },
            meta,
          });
        },
        { label: 'totp-enrol' },
      );
      this.ctx.logger.info('totp enrolment started', { userId: user.id });
      return { secret: enrolment.secret, uri: enrolment.uri };
    });
  }
}

/** Ends enrolment: the first code proves the app holds the secret; from then on login needs a code. */
export class ConfirmTotp {
  static readonly failures = [...PASSWORD_FAILURES, ErrorCodes.AUTH_TOTP_STATE, ErrorCodes.AUTH_TOTP_INVALID] as const;

  constructor(
    private readonly ctx: AuthContext,
    private readonly credentials: CredentialCheck,
  ) {}

  async execute(
    cmd: TotpConfirmationCommand,
  ): Promise<Outcome<{ readonly confirmed: true }, FailureCode<typeof ConfirmTotp>>> {
    checkAuthCommand(cmd);
    const identifier = parseLoginIdentifier(checkString(cmd.identifier, 'identifier', 320));
    const password = checkString(cmd.password, 'password', 1024);
    const code = checkString(cmd.code, 'code', 10);
    const meta = checkMeta(cmd.meta);
    return runUseCase(ConfirmTotp.failures, async () => {
      const keys = attemptKeys(identifier, meta);
      const user = await this.credentials.check(identifier, password, meta, keys, 'auth.totp_confirm');
      const pending = user.totp !== null && user.totp.confirmedAt === null ? user.totp : null;
      if (pending === null) {
        throw new IllegalStateError(ErrorCodes.AUTH_TOTP_STATE, 'no TOTP enrolment to confirm', {
          state: user.totp === null ? 'none' : 'confirmed',
        });
      }
      const step = /^[0-9]{6}$/.test(code)
        ? this.ctx.totp.verify(pending.sealedSecret, code, this.ctx.clock.now())
        : null;
      if (step === null) {
        await this.credentials.failed(keys, meta, 'auth.totp_confirm_failed', user, { factor: 'totp' });
        throw new AuthenticationError('wrong TOTP code', {}, ErrorCodes.AUTH_TOTP_INVALID);
      }
      await this.ctx.uow.run(
        async (tx) => {
          const current = await tx.users.get(user.id);
          // Enrolled again meanwhile (another secret): this code was for the old one.
          if (current === null || current.totp?.sealedSecret !== pending.sealedSecret || current.totp.confirmedAt) {
            throw new IllegalStateError(ErrorCodes.AUTH_TOTP_STATE, 'the enrolment changed meanwhile', {
              state: 'changed',
            });
          }
          const now = this.ctx.clock.now();
          await tx.users.save({
            ...current,
            totp: { ...current.totp, confirmedAt: now, lastUsedStep: step },
            updatedAt: now,
          });
          await audit(tx, this.ctx, {
            actor: userActor(current),
            action: 'auth.totp_confirmed',
            target: { type: 'user', id: current.id },
            meta,
          });
        },
        { label: 'totp-confirm' },
      );
      this.ctx.logger.info('totp enrolled', { userId: user.id });
      return { confirmed: true as const };
    });
  }
}
