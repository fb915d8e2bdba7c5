import { Migration } from '@mikro-orm/migrations';

/*
 * Payment reminders (issue 13): the keyset index their daily query walks, one Nepali day of
 * due invoices at a time in (due_at, entry_id) order. The statement is what the schema
 * generator emits for the entity's index, so the schema diff stays empty.
 */
export class Migration20261206041500_reminder_index extends Migration {
  override name = 'Migration20261206041500_reminder_index';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "credit_open_items_invoice_due_idx" on "credit_open_items" ("due_at", "entry_id") where type = 'INVOICE';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "credit_open_items_invoice_due_idx";`);
  }
}
