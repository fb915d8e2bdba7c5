import type { UseCaseContext } from '../application/context.js';
import { checkActor, checkCommand } from '../application/command-checks.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Role, type User, STAFF_ROLES } from '../parties/user.js';
import type { Actor, JsonValue } from '../shared/domain-event.js';
import { MS_PER_DAY } from '../shared/clock.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { RetailerId, UserId, VendorId } from '../shared/ids.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { characterCount } from '../shared/text.js';
import type { AuditActor, AuditEntry, RequestMeta } from './audit.js';
import { DEFAULT_IDENTIFIER_THROTTLE, DEFAULT_IP_THROTTLE, type LoginThrottlePolicy } from './login-throttle.js';
import type { OpaqueTokenIssuer, PasswordHasher, TotpAuthenticator } from './ports.js';

/** Who a verified session is: what app-http authorises by. */
export interface Principal {
  readonly userId: UserId;
  readonly role: Role;
  readonly retailerId: RetailerId | null;
  readonly vendorId: VendorId | null;
}

export function principalOf(user: User): Principal {
  return { userId: user.id, role: user.role, retailerId: user.retailerId, vendorId: user.vendorId };
}

export interface AuthSettings {
  /** Lifetime of each refresh token; a rotation starts a new one. */
  readonly refreshTtlMs: number;
  readonly identifierThrottle: LoginThrottlePolicy;
  readonly ipThrottle: LoginThrottlePolicy;
  readonly passwordMinLength: number;
  readonly passwordMaxLength: number;
  /** ADMIN and OPERATOR log in with a TOTP code too (issue 11); other roles once they enrol. */
  readonly requireTotpForStaff: boolean;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = Object.freeze({
  refreshTtlMs: 14 * MS_PER_DAY,
  identifierThrottle: DEFAULT_IDENTIFIER_THROTTLE,
  ipThrottle: DEFAULT_IP_THROTTLE,
  passwordMinLength: 10,
  // scrypt and argon2 take any length; the bound keeps one request from buying seconds of CPU.
  passwordMaxLength: 256,
  requireTotpForStaff: true,
});

/** What auth use cases need beyond the shared context: the crypto lives outside core. */
export interface AuthServices {
  readonly hasher: PasswordHasher;
  readonly tokens: OpaqueTokenIssuer;
  readonly totp: TotpAuthenticator;
  readonly settings?: Partial<AuthSettings>;
}

export interface AuthContext extends UseCaseContext {
  readonly hasher: PasswordHasher;
  readonly tokens: OpaqueTokenIssuer;
  readonly totp: TotpAuthenticator;
  readonly settings: AuthSettings;
}

export function authContext(ctx: UseCaseContext, services: AuthServices): AuthContext {
  return {
    ...ctx,
    hasher: services.hasher,
    tokens: services.tokens,
    totp: services.totp,
    settings: { ...DEFAULT_AUTH_SETTINGS, ...services.settings },
  };
}

/** A user as the audit log and API show it: never the password hash. */
export function userSnapshot(user: User): { [key: string]: JsonValue } {
  return {
    email: user.email,
    phone: user.phone?.value ?? null,
    role: user.role,
    status: user.status,
    retailerId: user.retailerId,
    vendorId: user.vendorId,
  };
}

export function auditActorOf(actor: Actor): AuditActor {
  if (actor.type === 'system') return { type: 'system', id: actor.id, role: null };
  return { type: 'user', id: actor.id, role: actor.type.toUpperCase() };
}

export const ANONYMOUS: AuditActor = Object.freeze({ type: 'anonymous', id: null, role: null });

export function userActor(user: User): AuditActor {
  return { type: 'user', id: user.id, role: user.role };
}

export async function audit(
  tx: TransactionScope,
  ctx: AuthContext,
  entry: Omit<AuditEntry, 'id' | 'at' | 'ip' | 'requestId' | 'before' | 'after' | 'details' | 'target'> & {
    readonly meta: RequestMeta;
    readonly target?: AuditEntry['target'];
    readonly before?: JsonValue | null;
    readonly after?: JsonValue | null;
    readonly details?: AuditEntry['details'];
  },
): Promise<void> {
  await tx.auditLog.append({
    id: ctx.ids.next(),
    at: ctx.clock.now(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    details: entry.details ?? {},
    ip: entry.meta.ip,
    requestId: entry.meta.requestId,
  });
}

function refuse(message: string, field: string): never {
  throw new ValidationError(message, { field }, ErrorCodes.INVALID_COMMAND);
}

/** Request metadata from outside: both optional, bounded, never trusted for more than the log. */
export function checkMeta(meta: unknown): RequestMeta {
  if (meta === undefined || meta === null) return { ip: null, requestId: null };
  if (typeof meta !== 'object') refuse('meta must be an object', 'meta');
  const { ip, requestId } = meta as { ip?: unknown; requestId?: unknown };
  const text = (v: unknown, field: string): string | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.length > 100) refuse(`${field} must be text of at most 100 characters`, field);
    return v;
  };
  return { ip: text(ip, 'ip'), requestId: text(requestId, 'requestId') };
}

export function checkString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    refuse(`${field} must be text of 1-${max} characters`, field);
  return value;
}

/** A new password within the policy (characters, not bytes). */
export function checkNewPassword(value: unknown, settings: AuthSettings): string {
  if (typeof value !== 'string') refuse('password must be text', 'password');
  const n = characterCount(value);
  if (n < settings.passwordMinLength || n > settings.passwordMaxLength) {
    throw new ValidationError(
      `a password has ${settings.passwordMinLength}-${settings.passwordMaxLength} characters`,
      { field: 'password', minLength: settings.passwordMinLength, maxLength: settings.passwordMaxLength },
      ErrorCodes.AUTH_WEAK_PASSWORD,
    );
  }
  return value;
}

export function checkAuthCommand(command: unknown): void {
  checkCommand(command);
}

export function checkStaffActor(actor: unknown, action: string, allowed: readonly Actor['type'][]): Actor {
  const a = checkActor(actor);
  if (!allowed.includes(a.type)) {
    throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, `${allowed.join(' or ')} only may ${action}`, {
      actor: a.type,
    });
  }
  return a;
}

export function isStaffRole(role: Role): boolean {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}

/** How a login identifier is looked up and throttled: an email (lower case), a phone (E.164), or neither. */
export type LoginIdentifier =
  | { readonly kind: 'email'; readonly key: string }
  | { readonly kind: 'phone'; readonly key: string; readonly phone: PhoneNumber }
  | { readonly kind: 'unknown'; readonly key: string };

export function parseLoginIdentifier(raw: string): LoginIdentifier {
  const trimmed = raw.trim();
  if (trimmed.includes('@')) return { kind: 'email', key: trimmed.toLowerCase() };
  try {
    const phone = PhoneNumber.parse(trimmed);
    return { kind: 'phone', key: phone.value, phone };
  } catch {
    return { kind: 'unknown', key: trimmed.toLowerCase() };
  }
}
