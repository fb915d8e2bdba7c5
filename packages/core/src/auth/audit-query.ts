import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { Actor } from '../shared/domain-event.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { AuditEntry, AuditFilter } from './audit.js';
import { type AuthContext, checkAuthCommand, checkStaffActor } from './auth-context.js';

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
