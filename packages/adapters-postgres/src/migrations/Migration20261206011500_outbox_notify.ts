import { Migration } from '@mikro-orm/migrations';

/*
 * Wakes relays on commit (worker-ops 1): every statement that inserts outbox rows sends one
 * NOTIFY on `khaacho_outbox`. PostgreSQL delivers it only when the inserting transaction
 * commits (and not at all on rollback), so a relay woken by it finds the rows visible. Per
 * statement, not per row: a batch of events is one wake-up, and identical notifications in
 * one transaction are folded into one anyway. Empty payload: the relay claims whatever is
 * due, so the message needs no content (and carries none of an event's data).
 */
export class Migration20261206011500_outbox_notify extends Migration {
  override name = 'Migration20261206011500_outbox_notify';

  override up(): void | Promise<void> {
    this.addSql(
      `create or replace function "khaacho_outbox_notify"() returns trigger language plpgsql as $$ begin perform pg_notify('khaacho_outbox', ''); return null; end $$;`,
    );
    this.addSql(
      `create trigger "outbox_notify" after insert on "outbox" for each statement execute function "khaacho_outbox_notify"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "outbox_notify" on "outbox";`);
    this.addSql(`drop function if exists "khaacho_outbox_notify"();`);
  }
}
