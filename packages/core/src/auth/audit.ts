import type { JsonValue } from '../shared/domain-event.js';

/** Who did it: a signed-in user (with their role), the system (CLI, jobs), or nobody known yet (a login). */
export interface AuditActor {
  readonly type: 'user' | 'system' | 'anonymous';
  readonly id: string | null;
  readonly role: string | null;
}

/** Where a request came from: put in every audit entry it causes. */
export interface RequestMeta {
  readonly ip: string | null;
  readonly requestId: string | null;
}

export const NO_REQUEST_META: RequestMeta = Object.freeze({ ip: null, requestId: null });

/** What auth writes; other admin and operator actions add their own (`<area>.<verb>`). */
export const AUTH_AUDIT_ACTIONS = [
  'auth.register',
  'auth.approve',
  'auth.reject',
  'auth.staff_created',
  'auth.user_created',
  'auth.login',
  'auth.login_failed',
  'auth.login_locked',
  'auth.login_refused',
  'auth.refresh',
  'auth.refresh_refused',
  'auth.refresh_reuse',
  'auth.logout',
  'auth.totp_enrol',
  'auth.totp_enrol_failed',
  'auth.totp_enrol_locked',
  'auth.totp_enrol_refused',
  'auth.totp_confirm_failed',
  'auth.totp_confirm_locked',
  'auth.totp_confirm_refused',
  'auth.totp_confirmed',
] as const;

export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string } | null;
  /** The target as it was before and after, without secrets (never a password hash or a token). */
  readonly before: JsonValue | null;
  readonly after: JsonValue | null;
  /** Anything else worth keeping (a reason, a failure code). */
  readonly details: { readonly [key: string]: JsonValue };
  readonly ip: string | null;
  readonly requestId: string | null;
}

export interface AuditFilter {
  readonly action?: string;
  readonly actorId?: string;
  readonly target?: { readonly type: string; readonly id: string };
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
}

export function matchesAuditFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  return (
    (filter.action === undefined || entry.action === filter.action) &&
    (filter.actorId === undefined || entry.actor.id === filter.actorId) &&
    (filter.target === undefined ||
      (entry.target?.type === filter.target.type && entry.target.id === filter.target.id)) &&
    (filter.from === undefined || entry.at.getTime() >= filter.from.getTime()) &&
    (filter.to === undefined || entry.at.getTime() < filter.to.getTime())
  );
}
