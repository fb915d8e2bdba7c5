import { Migration } from '@mikro-orm/migrations';

/*
 * Wakes inbox processors on commit, as Migration20261206015200_outbox_notify does for relays:
 * every statement that inserts webhook_inbox rows sends one NOTIFY on `khaacho_inbox`, which
 * PostgreSQL delivers only when the webhook's transaction commits. Empty payload: the
 * processor claims whatever is due. A duplicate delivery inserts nothing (on conflict do
 * nothing) and, per statement, still wakes a processor that then finds nothing: harmless.
 */
export class Migration20261206040100_inbox_notify extends Migration {
  override name = 'Migration20261206040100_inbox_notify';

  override up(): void | Promise<void> {
    // What MikroORM's schema generator emits for the entity's `triggers` entry (empty diff).
    this.addSql(
      `create or replace function "webhook_inbox_inbox_notify_fn"() returns trigger as $$ begin perform pg_notify('khaacho_inbox', ''); return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "inbox_notify" AFTER INSERT on "webhook_inbox" for each STATEMENT execute function "webhook_inbox_inbox_notify_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "inbox_notify" on "webhook_inbox";`);
    this.addSql(`drop function if exists "webhook_inbox_inbox_notify_fn"();`);
  }
}
