import { Migration } from '@mikro-orm/migrations';

/*
 * Issue 13, outbound status: every message the provider accepted from us, with the furthest
 * delivery status its callbacks reported (never moved backwards) and the errors of a failure.
 * kind and sent_at are null while only a callback is known (it can overtake the send's record).
 */
export class Migration20261206045000_outbound_messages extends Migration {
  override name = 'Migration20261206045000_outbound_messages';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "outbound_messages" ("provider_message_id" text not null, "recipient" text not null, "kind" text null, "sent_at" timestamptz null, "status" text not null, "status_at" timestamptz not null, "errors" jsonb not null, primary key ("provider_message_id"));`,
    );
    this.addSql(`create index "outbound_messages_recipient_idx" on "outbound_messages" ("recipient");`);
    this.addSql(
      `alter table "outbound_messages" add constraint "outbound_messages_status_check" check ("status" in ('accepted', 'sent', 'delivered', 'failed', 'read'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "outbound_messages" cascade;`);
  }
}
