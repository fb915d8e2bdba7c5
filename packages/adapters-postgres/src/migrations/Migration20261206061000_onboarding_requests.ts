import { Migration } from '@mikro-orm/migrations';

/*
 * Issue 13, onboarding: requests of unknown numbers that wrote to us, for an operator to approve
 * or reject. `pending_phone` (the phone while PENDING, null after) makes "one pending request per
 * number" a plain unique constraint; the (status, created_at, id) index serves the queue.
 */
export class Migration20261206061000_onboarding_requests extends Migration {
  override name = 'Migration20261206061000_onboarding_requests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "onboarding_requests" ("id" uuid not null, "phone" text not null, "pending_phone" text null, "shop_name" text null, "area" text null, "language" text not null, "status" text not null, "messages" int not null, "created_at" timestamptz not null, "last_message_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" jsonb null, "reason" text null, "retailer_id" uuid null, "version" int not null, primary key ("id"));`,
    );
    this.addSql(`create index "onboarding_requests_phone_idx" on "onboarding_requests" ("phone");`);
    this.addSql(
      `alter table "onboarding_requests" add constraint "onboarding_requests_pending_phone_key" unique ("pending_phone");`,
    );
    this.addSql(
      `create index "onboarding_requests_status_created_idx" on "onboarding_requests" ("status", "created_at", "id");`,
    );
    this.addSql(
      `alter table "onboarding_requests" add constraint "onboarding_requests_language_check" check ("language" in ('en', 'ne-Latn', 'ne'));`,
    );
    this.addSql(
      `alter table "onboarding_requests" add constraint "onboarding_requests_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "onboarding_requests" cascade;`);
  }
}
