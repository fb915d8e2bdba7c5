import type { PersistenceSubject, SubjectFactory } from '@khaacho/core/testing';
import type { PostgresPersistence } from '../create-postgres-persistence.js';
import { ormOf } from '../orm/persistence-orm.js';
import { TABLE_NAMES } from '../schema/entities.js';

/**
 * Empty every table (and restart the order number sequence) between contract cases. The
 * audit log refuses TRUNCATE by trigger; only this test helper, as the table's owner,
 * switches that trigger off for its own transaction.
 */
export async function truncateAll(persistence: PostgresPersistence): Promise<void> {
  const tables = TABLE_NAMES.map((t) => `"${t}"`).join(', ');
  await ormOf(persistence)
    .em.fork()
    .getConnection()
    .execute(
      `begin; alter table "audit_log" disable trigger "no_truncate";
       truncate table ${tables} restart identity cascade;
       alter table "audit_log" enable trigger "no_truncate"; commit;`,
    );
  await ormOf(persistence).em.fork().getConnection().execute(`alter sequence order_number_seq restart with 1`);
}

/** Each case gets the same open persistence, emptied first. */
export function subjectFactory(persistence: () => PostgresPersistence): SubjectFactory<PersistenceSubject> {
  return {
    async create() {
      const p = persistence();
      await truncateAll(p);
      return {
        repos: p.repos,
        uow: p.uow,
        outbox: p.outbox,
        inbox: p.inbox,
        idempotency: p.idempotency,
        outboundLog: p.outboundLog,
      };
    },
  };
}
