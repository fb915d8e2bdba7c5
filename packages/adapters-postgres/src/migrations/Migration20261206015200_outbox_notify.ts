import { Migration } from '@mikro-orm/migrations';

/*
 * Wakes relays on commit (worker-ops 1): every statement that inserts outbox rows sends one
 * NOTIFY on `khaacho_outbox`. PostgreSQL delivers it only when the inserting transaction
 * commits (and not at all on rollback), so a relay woken by it finds the rows visible. Per
 * statement, not per row: a batch of events is one wake-up, and identical notifications in
 * one transaction are folded into one anyway. Empty payload: the relay claims whatever is
 * due, so the message needs no content (and carries none of an event's data).
 */
export class Migration20261206015200_outbox_notify extends Migration {
  override name = 'Migration20261206015200_outbox_notify';

  override up(): void | Promise<void> {
    // The statements MikroORM's schema generator emits for the entity's `triggers` entry, so
    // the schema diff stays empty (function name `<table>_<trigger>_fn`).
    this.addSql(
      `create or replace function "outbox_outbox_notify_fn"() returns trigger as $$ begin perform pg_notify('khaacho_outbox', ''); return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "outbox_notify" AFTER INSERT on "outbox" for each STATEMENT execute function "outbox_outbox_notify_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "outbox_notify" on "outbox";`);
    this.addSql(`drop function if exists "outbox_outbox_notify_fn"();`);
  }
}
