import { Migration } from '@mikro-orm/migrations';

/*
 * Chat order in the webhook inbox (issue 13 follow-up): a processor claims an event only when
 * the earlier events of its chat are done, so two workers never answer one shop's messages out
 * of order. The indexes serve the claim's look-backs over a chat's unfinished events and over
 * its events under way. Statements
 * as the schema generator emits them for the entity, so the schema diff stays empty; then the
 * unfinished WhatsApp messages already stored get their sender as chat key (processed rows need
 * none, and status callbacks stay unordered).
 */
export class Migration20261206090500_inbox_chat_order extends Migration {
  override name = 'Migration20261206090500_inbox_chat_order';

  override up(): void | Promise<void> {
    this.addSql(`alter table "webhook_inbox" add column "chat_key" text null;`);
    this.addSql(
      `create index "webhook_inbox_chat_idx" on "webhook_inbox" ("chat_key", "received_at", "id") where status <> 'PROCESSED';`,
    );
    this.addSql(
      `create index "webhook_inbox_chat_processing_idx" on "webhook_inbox" ("chat_key", "received_at", "id") where status = 'PROCESSING';`,
    );
    this.addSql(
      `update "webhook_inbox" set "chat_key" = payload->>'from'
       where status <> 'PROCESSED' and provider = 'whatsapp' and payload->>'kind' = 'message' and payload->>'from' is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "webhook_inbox_chat_processing_idx";`);
    this.addSql(`drop index "webhook_inbox_chat_idx";`);
    this.addSql(`alter table "webhook_inbox" drop column "chat_key";`);
  }
}
