import { Migration } from '@mikro-orm/migrations';

/*
 * Onboarding as a shop or a supplier: `requested_role` is what the person said it is
 * ([Shop] / [Supplier], or words; null until it says, and for every request before this), and
 * `vendor_id` the vendor an approval as VENDOR created (as `retailer_id` is the retailer's; no
 * foreign key either: the request is the record of a decision). The statements are what the
 * schema generator emits for the entity, so the schema diff stays empty.
 */
export class Migration20261206090100_onboarding_role extends Migration {
  override name = 'Migration20261206090100_onboarding_role';

  override up(): void | Promise<void> {
    this.addSql(`alter table "onboarding_requests" add "requested_role" text null, add "vendor_id" uuid null;`);
    this.addSql(
      `alter table "onboarding_requests" add constraint "onboarding_requests_requested_role_check" check ("requested_role" in ('RETAILER', 'VENDOR'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "onboarding_requests" drop constraint if exists "onboarding_requests_requested_role_check";`,
    );
    this.addSql(`alter table "onboarding_requests" drop column "requested_role", drop column "vendor_id";`);
  }
}
