import { Migration } from '@mikro-orm/migrations';

/*
 * Issue 12, drafts: the catalog's defaults for generic words, priced order drafts awaiting a
 * shop's confirmation, and why an order is held.
 *
 * - orders.hold_reason: an order over the available credit is now held (CREDIT_LIMIT) rather
 *   than rejected; such a hold reserves no credit, so the exposure query must tell it from a
 *   risk review. Every order held before this migration was held by the risk policy.
 * - catalog_defaults: mention → product, catalog data the seed and staff set.
 * - order_drafts: one row per draft; the lines and questions are a JSON body. A draft places at
 *   most one order (unique order_id), which is what makes confirming idempotent in storage too.
 */
export class Migration20261206014407_drafts extends Migration {
  override name = 'Migration20261206014407_drafts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "orders" add "hold_reason" text null;`);
    this.addSql(`update "orders" set "hold_reason" = 'RISK_REVIEW' where "status" = 'ON_HOLD';`);
    this.addSql(
      `alter table "orders" add constraint "orders_hold_reason_check" check ("hold_reason" in ('RISK_REVIEW', 'CREDIT_LIMIT'));`,
    );

    this.addSql(
      `create table "catalog_defaults" ("mention" text not null, "product_id" uuid not null, primary key ("mention"));`,
    );
    this.addSql(`create index "catalog_defaults_product_id_idx" on "catalog_defaults" ("product_id");`);
    this.addSql(
      `alter table "catalog_defaults" add constraint "catalog_defaults_product_id_foreign" foreign key ("product_id") references "products" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "order_drafts" ("id" uuid not null, "retailer_id" uuid not null, "status" text not null, "total_amount" bigint not null, "currency" varchar(3) not null, "body" jsonb not null, "replaces_order_id" uuid null, "order_id" uuid null, "superseded_by" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "order_drafts_retailer_id_idx" on "order_drafts" ("retailer_id");`);
    this.addSql(`alter table "order_drafts" add constraint "order_drafts_order_id_key" unique ("order_id");`);
    this.addSql(
      `create index "order_drafts_expires_idx" on "order_drafts" ("expires_at") where status <> 'CONFIRMED';`,
    );
    this.addSql(
      `alter table "order_drafts" add constraint "order_drafts_retailer_id_foreign" foreign key ("retailer_id") references "retailers" ("id");`,
    );
    this.addSql(
      `alter table "order_drafts" add constraint "order_drafts_replaces_order_id_foreign" foreign key ("replaces_order_id") references "orders" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "order_drafts" add constraint "order_drafts_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "order_drafts" add constraint "order_drafts_status_check" check ("status" in ('OPEN', 'CONFIRMED', 'SUPERSEDED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "order_drafts" cascade;`);
    this.addSql(`drop table if exists "catalog_defaults" cascade;`);
    this.addSql(`alter table "orders" drop constraint if exists "orders_hold_reason_check";`);
    this.addSql(`alter table "orders" drop column "hold_reason";`);
  }
}
