import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { Actor, JsonValue } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { AuditEntry, AuditFilter, RequestMeta } from './audit.js';
import {
  type AuthContext,
  audit,
  auditActorOf,
  checkAuthCommand,
  checkMeta,
  checkStaffActor,
  checkString,
} from './auth-context.js';

export interface ListAuditLogQuery {
  readonly filter?: AuditFilter;
  readonly page: PageRequest;
  readonly actor: Actor;
}

/** At most this many entries per page. */
export const AUDIT_PAGE_MAX = 200;

/**
 * An ADMIN reads the audit log, newest first, keyset-paginated, filtered by action, actor,
 * target and time. Read-only: the log has no use case that changes it, and reading it is not
 * itself audited (it would grow with every page an admin turns).
 */
export class ListAuditLog {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(query: ListAuditLogQuery): Promise<Outcome<Page<AuditEntry>, FailureCode<typeof ListAuditLog>>> {
    checkAuthCommand(query);
    return runUseCase(ListAuditLog.failures, async () => {
      checkStaffActor(query.actor, 'read the audit log', ['admin']);
      const { limit } = query.page;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
        throw new ValidationError(`limit is 1–${AUDIT_PAGE_MAX}`, { field: 'limit' }, ErrorCodes.INVALID_COMMAND);
      }
      const filter = query.filter ?? {};
      for (const bound of ['from', 'to'] as const) {
        const at = filter[bound];
        if (at !== undefined && !(at instanceof Date && Number.isFinite(at.getTime()))) {
          throw new ValidationError(`${bound} must be a valid date`, { field: bound }, ErrorCodes.INVALID_COMMAND);
        }
      }
      return this.ctx.repos.auditLog.list(filter, query.page);
    });
  }
}

export interface RecordStaffActionCommand {
  /** An admin or operator: what they did through an API that changes state. */
  readonly actor: Actor;
  /** `<area>.<verb>`, lower case, e.g. `api.cancel_order`. */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string } | null;
  readonly details?: { readonly [key: string]: JsonValue };
  readonly meta?: RequestMeta;
}

const ACTION = /^[a-z][a-z_]{0,30}\.[a-z][a-z_]{0,60}$/;

/**
 * Appends an entry for an admin or operator action whose own use case keeps no audit entry
 * (app-http records one after each successful staff request that changes state). Auth's
 * own use cases write theirs inside their transaction and do not come through here.
 */
export class RecordStaffAction {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: AuthContext) {}

  async execute(cmd: RecordStaffActionCommand): Promise<Outcome<void, FailureCode<typeof RecordStaffAction>>> {
    checkAuthCommand(cmd);
    const meta = checkMeta(cmd.meta);
    return runUseCase(RecordStaffAction.failures, async () => {
      const actor = checkStaffActor(cmd.actor, 'be recorded as staff', ['admin', 'operator']);
      if (typeof cmd.action !== 'string' || !ACTION.test(cmd.action)) {
        throw new ValidationError('action is <area>.<verb>', { field: 'action' }, ErrorCodes.INVALID_COMMAND);
      }
      const target = cmd.target ?? null;
      if (target !== null) {
        checkString(target.type, 'target.type', 40);
        checkString(target.id, 'target.id', 128);
      }
      await this.ctx.uow.run(
        (tx) =>
          audit(tx, this.ctx, {
            actor: auditActorOf(actor),
            action: cmd.action,
            target,
            details: cmd.details ?? {},
            meta,
          }),
        { label: 'record-staff-action' },
      );
    });
  }
}
