import { Migration } from '@mikro-orm/migrations';

/*
 * Stored engine output (issue 10, the refresh of vendor performance and price intelligence):
 * one current snapshot per vendor and per product, replaced by each refresh. The statements
 * are what the schema generator emits for the two entities, so the schema diff stays empty.
 */
export class Migration20261206020100_engine_snapshots extends Migration {
  override name = 'Migration20261206020100_engine_snapshots';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "price_intelligence_snapshots" ("product_id" uuid not null, "fingerprint" text not null, "version" int not null, "computed_at" timestamptz not null, "checked_at" timestamptz not null, "trend" text not null, "alert_count" int not null, "record" jsonb not null, primary key ("product_id"));`,
    );
    this.addSql(
      `create table "vendor_performance_snapshots" ("vendor_id" uuid not null, "fingerprint" text not null, "version" int not null, "computed_at" timestamptz not null, "checked_at" timestamptz not null, "reliability" double precision null, "record" jsonb not null, primary key ("vendor_id"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "vendor_performance_snapshots";`);
    this.addSql(`drop table if exists "price_intelligence_snapshots";`);
  }
}
