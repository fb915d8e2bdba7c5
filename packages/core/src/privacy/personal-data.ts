import type { AuditEntry, RequestMeta } from '../auth/audit.js';
import { auditActorOf, checkMeta, checkStaffActor } from '../auth/auth-context.js';
import { checkCommand, checkId, requiredReason } from '../application/command-checks.js';
import type { UseCaseContext } from '../application/context.js';
import { required } from '../application/errors.js';
import { type FailureCode, type Outcome, runUseCase } from '../application/outcome.js';
import { lockedRetailer } from '../application/retailer-status.js';
import type { Retailer } from '../parties/retailer.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import type { Actor, JsonValue } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import type { RetailerId } from '../shared/ids.js';
import {
  isErasedRetailer,
  PERSONAL_DATA_STORES,
  type PersonalDataStore,
  type PersonalDataSubject,
} from './personal-data-stores.js';

export const PRIVACY_AUDIT_ACTIONS = { export: 'privacy.export', erase: 'privacy.erase' } as const;

export interface PersonalDataCommand {
  readonly retailerId: RetailerId;
  /** An ADMIN (or the system): personal data is for admins only. */
  readonly actor: Actor;
  readonly meta?: RequestMeta;
}

/**
 * A retailer's export: `json` yields the document's text in pieces, one store page at a time,
 * so a retailer with 10,000 orders is never in memory at once (the caller streams the pieces
 * out, or `collectPersonalData` joins them in tests). Sections are read outside a transaction,
 * each consistent page by page, not one snapshot of the whole.
 */
export interface PersonalDataExport {
  readonly retailerId: RetailerId;
  readonly exportedAt: Date;
  /** Whether the retailer was already erased when the export began. */
  readonly erased: boolean;
  readonly json: AsyncIterable<string>;
}

async function* exportJson(
  ctx: UseCaseContext,
  subject: PersonalDataSubject,
  stores: readonly PersonalDataStore[],
): AsyncGenerator<string> {
  yield `{"retailerId":${JSON.stringify(subject.retailer.id)},"exportedAt":${JSON.stringify(subject.now)}`;
  for (const store of stores) {
    if (!store.items) continue;
    const items = store.items(ctx.repos, subject);
    yield `,${JSON.stringify(store.name)}:`;
    if (store.shape === 'one') {
      let item: unknown = null;
      for await (const one of items) item = one;
      yield JSON.stringify(item);
      continue;
    }
    yield '[';
    let first = true;
    for await (const item of items) {
      yield `${first ? '' : ','}${JSON.stringify(item)}`;
      first = false;
    }
    yield ']';
  }
  yield '}';
}

/** The whole export as one object (tests, small retailers): what `json` streams, parsed. */
export async function collectPersonalData(exported: PersonalDataExport): Promise<Record<string, unknown>> {
  let text = '';
  for await (const piece of exported.json) text += piece;
  return JSON.parse(text) as Record<string, unknown>;
}

const EXPORT_FAILURES = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN] as const;

/**
 * Everything held about a retailer, as JSON: the retailer, its logins (never a password hash
 * or a TOTP secret), its orders with lines and risk events, its credit account and ledger
 * (invoices, payments, notes), credit scores, drafts and the audit entries about it and its
 * logins. ADMIN only; the export itself is audited (who took whose data).
 */
export class ExportPersonalData {
  static readonly failures = EXPORT_FAILURES;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly stores: readonly PersonalDataStore[] = PERSONAL_DATA_STORES,
  ) {}

  async execute(
    cmd: PersonalDataCommand,
  ): Promise<Outcome<PersonalDataExport, FailureCode<typeof ExportPersonalData>>> {
    checkCommand(cmd);
    const retailerId = checkId<RetailerId>(cmd.retailerId, 'retailerId');
    const meta = checkMeta(cmd.meta);
    const result = await runUseCase(EXPORT_FAILURES, async () => {
      const actor = checkStaffActor(cmd.actor, 'export personal data', ['admin', 'system']);
      return this.ctx.uow.run(
        async (tx) => {
          const retailer = required(await tx.retailers.get(retailerId), 'retailer', retailerId);
          const now = this.ctx.clock.now();
          await appendAudit(tx, this.ctx, {
            actor,
            meta,
            action: PRIVACY_AUDIT_ACTIONS.export,
            retailerId,
            details: { erased: isErasedRetailer(retailer) },
          });
          const subject: PersonalDataSubject = { retailer, now };
          return {
            retailerId,
            exportedAt: now,
            erased: isErasedRetailer(retailer),
            json: { [Symbol.asyncIterator]: () => exportJson(this.ctx, subject, this.stores) },
          };
        },
        { label: 'export-personal-data' },
      );
    });
    if (result.ok) this.ctx.logger.info('personal data exported', { retailerId, actor: cmd.actor.type });
    return result;
  }
}

export interface ErasePersonalDataCommand extends PersonalDataCommand {
  /** Why (a request by the person, a legal order): kept in the audit entry. */
  readonly reason: string;
}

export interface PersonalDataErasure {
  readonly retailerId: RetailerId;
  /** When the erasure happened (the first one, for a repeated request). */
  readonly erasedAt: Date;
  /** False when the retailer was already erased: nothing was changed this time. */
  readonly changed: boolean;
  /** Records changed per store (empty for a repeated request). */
  readonly counts: Readonly<Record<string, number>>;
}

const ERASE_FAILURES = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN] as const;

/**
 * Anonymise a retailer's personal data, in one transaction, store by store
 * (`PERSONAL_DATA_STORES`): name, phone (→ `erased:<id>`, unique, unroutable, and the real
 * number is free again), area, district and location; its logins lose email, phone,
 * password, TOTP and sessions and are DISABLED; its drafts (the shop's own words) are deleted.
 * Orders, ledger entries, invoices and scores are kept — the law keeps financial records —
 * and stay tied to the anonymised retailer by id. The retailer is left SUSPENDED and cannot be
 * reinstated, so it cannot order. Idempotent: an erased retailer is answered with the first
 * erasure's time and nothing changes. Audited without the personal data (the entry names the
 * fields and counts, never their values). ADMIN only.
 */
export class ErasePersonalData {
  static readonly failures = ERASE_FAILURES;

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly stores: readonly PersonalDataStore[] = PERSONAL_DATA_STORES,
  ) {}

  async execute(
    cmd: ErasePersonalDataCommand,
  ): Promise<Outcome<PersonalDataErasure, FailureCode<typeof ErasePersonalData>>> {
    checkCommand(cmd);
    const retailerId = checkId<RetailerId>(cmd.retailerId, 'retailerId');
    const meta = checkMeta(cmd.meta);
    const reason = requiredReason(cmd.reason);
    const result = await runUseCase(ERASE_FAILURES, async () => {
      const actor = checkStaffActor(cmd.actor, 'erase personal data', ['admin', 'system']);
      return this.ctx.uow.run(
        async (tx): Promise<PersonalDataErasure> => {
          // The account lock serialises this with status changes and a concurrent erasure.
          const retailer = await lockedRetailer(tx, retailerId);
          if (isErasedRetailer(retailer)) {
            return { retailerId, erasedAt: await firstErasure(tx, retailer), changed: false, counts: {} };
          }
          const now = this.ctx.clock.now();
          const subject: PersonalDataSubject = { retailer, now };
          const counts: Record<string, number> = {};
          for (const store of this.stores) {
            if (store.erase) counts[store.name] = await store.erase(tx, subject);
          }
          await appendAudit(tx, this.ctx, {
            actor,
            meta,
            action: PRIVACY_AUDIT_ACTIONS.erase,
            retailerId,
            before: { status: retailer.status, erased: false },
            after: { status: 'SUSPENDED', erased: true },
            details: {
              reason,
              fields: ['name', 'phone', 'area', 'district', 'location', 'user.email', 'user.phone', 'user.credentials'],
              counts,
            },
          });
          return { retailerId, erasedAt: now, changed: true, counts };
        },
        { label: 'erase-personal-data' },
      );
    });
    if (result.ok) {
      this.ctx.logger.info('personal data erased', {
        retailerId,
        changed: result.value.changed,
        actor: cmd.actor.type,
      });
    }
    return result;
  }
}

/** The time of the erasure that anonymised this retailer (its audit entry; the update time if none is found). */
async function firstErasure(tx: TransactionScope, retailer: Retailer): Promise<Date> {
  const page = await tx.auditLog.list(
    { action: PRIVACY_AUDIT_ACTIONS.erase, target: { type: 'retailer', id: retailer.id } },
    { limit: 200, cursor: null },
  );
  const oldest = page.items[page.items.length - 1];
  return oldest?.at ?? retailer.updatedAt;
}

async function appendAudit(
  tx: TransactionScope,
  ctx: UseCaseContext,
  entry: {
    readonly actor: Actor;
    readonly meta: RequestMeta;
    readonly action: string;
    readonly retailerId: RetailerId;
    readonly before?: JsonValue;
    readonly after?: JsonValue;
    readonly details: AuditEntry['details'];
  },
): Promise<void> {
  await tx.auditLog.append({
    id: ctx.ids.next(),
    at: ctx.clock.now(),
    actor: auditActorOf(entry.actor),
    action: entry.action,
    target: { type: 'retailer', id: entry.retailerId },
    before: entry.before ?? null,
    after: entry.after ?? null,
    details: entry.details,
    ip: entry.meta.ip,
    requestId: entry.meta.requestId,
  });
}
