import { Migration } from '@mikro-orm/migrations';

/*
 * The database as the second line behind the domain's validation (issue 8, items 6-8).
 *
 * Rows stored before these checks are handled per kind of damage:
 * - Coordinates out of range or NaN were never usable (they made a party unloadable), so
 *   they are set to null ("location unknown") and the check is validated at once.
 * - Negative stock, minimum or lead time cannot come from the domain; a hand-made one is
 *   clamped to 0 (no stock, no minimum), the safe reading of a broken number.
 * - Over-long notes are the words of a retailer or an operator, and ledger entries are
 *   append-only: they are kept as written. Their checks are added NOT VALID (new rows are
 *   checked) and validated only where no older row breaks them, so a clean database ends
 *   up with fully validated constraints and a dirty one keeps its history readable.
 */
/** Both null, or both set and in range; NaN fails (PostgreSQL orders NaN above every number). */
const LOCATION_IN_RANGE = `(("lat" is null) = ("lng" is null)) and (("lat" is null) or (("lat" >= '-90'::double precision) and ("lat" <= '90'::double precision) and ("lng" >= '-180'::double precision) and ("lng" <= '180'::double precision)))`;

const NOTE_CHECKS: ReadonlyArray<{ table: string; name: string }> = [
  { table: 'orders', name: 'orders_note_length_check' },
  { table: 'ledger_entries', name: 'ledger_entries_note_length_check' },
];

export class Migration20261128033000_value_checks extends Migration {
  override name = 'Migration20261128033000_value_checks';

  override up(): void | Promise<void> {
    for (const table of ['retailers', 'vendors']) {
      this.addSql(`update "${table}" set "lat" = null, "lng" = null where not (${LOCATION_IN_RANGE});`);
      this.addSql(`alter table "${table}" add constraint "${table}_location_check" check (${LOCATION_IN_RANGE});`);
    }

    this.addSql(`update "vendor_offers" set "stock_on_hand" = 0 where "stock_on_hand" < 0;`);
    this.addSql(`update "vendor_offers" set "min_order_qty" = 0 where "min_order_qty" < 0;`);
    this.addSql(`update "vendor_offers" set "lead_time_hours" = 0 where "lead_time_hours" < 0;`);
    this.addSql(
      `alter table "vendor_offers" add constraint "vendor_offers_quantities_check" check (("stock_on_hand" >= 0) and ("min_order_qty" >= 0) and ("lead_time_hours" >= 0));`,
    );

    for (const { table, name } of NOTE_CHECKS) {
      this.addSql(`alter table "${table}" add constraint "${name}" check (char_length("note") <= 1000) not valid;`);
      this.addSql(
        `do $$ begin alter table "${table}" validate constraint "${name}"; exception when check_violation then null; end $$;`,
      );
    }
  }

  override down(): void | Promise<void> {
    for (const { table, name } of NOTE_CHECKS)
      this.addSql(`alter table "${table}" drop constraint if exists "${name}";`);
    this.addSql(`alter table "vendor_offers" drop constraint if exists "vendor_offers_quantities_check";`);
    for (const table of ['retailers', 'vendors']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_location_check";`);
    }
  }
}
