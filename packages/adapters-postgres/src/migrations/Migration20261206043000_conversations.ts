import { Migration } from '@mikro-orm/migrations';

/*
 * Issue 13, conversations: the WhatsApp conversation state per phone number, so any worker
 * instance can continue a conversation. `version` is the optimistic-concurrency check of every
 * save; expired rows are purged by `expires_at`.
 */
export class Migration20261206043000_conversations extends Migration {
  override name = 'Migration20261206043000_conversations';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "conversations" ("phone" text not null, "party_kind" text not null, "party_id" uuid null, "language" text not null, "step" jsonb not null, "handled_message_ids" jsonb not null, "updated_at" timestamptz not null, "expires_at" timestamptz not null, "version" int not null, primary key ("phone"));`,
    );
    this.addSql(`create index "conversations_expires_idx" on "conversations" ("expires_at");`);
    this.addSql(
      `alter table "conversations" add constraint "conversations_party_kind_check" check ("party_kind" in ('retailer', 'vendor', 'unknown'));`,
    );
    this.addSql(
      `alter table "conversations" add constraint "conversations_language_check" check ("language" in ('en', 'ne-Latn', 'ne'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "conversations" cascade;`);
  }
}
