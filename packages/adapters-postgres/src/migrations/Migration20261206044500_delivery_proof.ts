import { Migration } from '@mikro-orm/migrations';

/*
 * Issue 13, proof of delivery: one row per dispatched order with the shop's 4-digit code, the
 * vendor's failed attempts and a dispute for an operator. The code is kept in clear and erased
 * once the delivery is settled (core's DeliveryProofSnapshot says why it is not hashed). Orders
 * dispatched before this migration have no row and are delivered as before.
 */
export class Migration20261206044500_delivery_proof extends Migration {
  override name = 'Migration20261206044500_delivery_proof';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "delivery_proofs" ("order_id" uuid not null, "retailer_id" uuid not null, "vendor_id" uuid not null, "code" varchar(4) null, "status" text not null, "failed_attempts" smallint not null, "issued_at" timestamptz not null, "confirmed_as" text null, "delivered" boolean null, "dispute_reason" text null, "disputed_at" timestamptz null, "disputed_by" jsonb null, "dispute_note" text null, "settled_at" timestamptz null, "settled_by" jsonb null, "settlement_note" text null, "updated_at" timestamptz not null, "version" int not null, primary key ("order_id"));`,
    );
    this.addSql(`create index "delivery_proofs_retailer_id_idx" on "delivery_proofs" ("retailer_id");`);
    this.addSql(`create index "delivery_proofs_vendor_id_idx" on "delivery_proofs" ("vendor_id");`);
    this.addSql(
      `create index "delivery_proofs_disputed_idx" on "delivery_proofs" ("disputed_at", "order_id") where status = 'DISPUTED';`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_retailer_id_foreign" foreign key ("retailer_id") references "retailers" ("id");`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id");`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_status_check" check ("status" in ('AWAITING_CODE', 'CONFIRMED', 'DISPUTED', 'RESOLVED'));`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_confirmed_as_check" check ("confirmed_as" in ('CODE', 'OVERRIDE', 'DISPUTE'));`,
    );
    this.addSql(
      `alter table "delivery_proofs" add constraint "delivery_proofs_dispute_reason_check" check ("dispute_reason" in ('WRONG_CODE_LIMIT', 'NO_CODE', 'NOT_RECEIVED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "delivery_proofs" cascade;`);
  }
}
