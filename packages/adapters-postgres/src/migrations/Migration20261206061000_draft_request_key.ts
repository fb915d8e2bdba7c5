import { Migration } from '@mikro-orm/migrations';

/*
 * The inbound message a draft answers (issue 13, a worker killed mid-conversation): a message
 * answered again after a crash finds the draft it already made instead of drafting twice. A
 * plain unique constraint: NULLs (drafts made elsewhere) never collide. The statements are
 * what the schema generator emits for the entity, so the schema diff stays empty.
 */
export class Migration20261206061000_draft_request_key extends Migration {
  override name = 'Migration20261206061000_draft_request_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "order_drafts" add column "request_key" text null;`);
    this.addSql(
      `alter table "order_drafts" add constraint "order_drafts_retailer_id_request_key_key" unique ("retailer_id", "request_key");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_drafts" drop constraint "order_drafts_retailer_id_request_key_key";`);
    this.addSql(`alter table "order_drafts" drop column "request_key";`);
  }
}
