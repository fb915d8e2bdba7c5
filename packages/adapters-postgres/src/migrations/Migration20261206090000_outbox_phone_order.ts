import { Migration } from '@mikro-orm/migrations';

/*
 * A phone's messages leave in order (issue 13): the outbox claim holds a
 * `message.send_requested` while an earlier one to the same phone is unpublished. This
 * partial index answers that check from the unpublished rows only. The statement is what the
 * schema generator emits for the entity, so the schema diff stays empty.
 */
export class Migration20261206090000_outbox_phone_order extends Migration {
  override name = 'Migration20261206090000_outbox_phone_order';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "outbox_phone_order_idx" on "outbox" ("event_type", "aggregate_id", "seq") where published_at is null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "outbox_phone_order_idx";`);
  }
}
