import { Migration } from '@mikro-orm/migrations';

/*
 * One phone, one party: WhatsApp gives us only the sender's number, so a number that were
 * both a retailer's and a vendor's could not say which of the two speaks (the conversation
 * took it for the retailer and the vendor never got its chat). `party_phones` registers every
 * retailer's and vendor's number, kept by row triggers on both tables, and its primary key
 * refuses a number of the other kind (23505 on `party_phones_pkey` → PARTY.PHONE_TAKEN), for
 * every writer: use cases, seed, imports, concurrent transactions (the second insert of a
 * number waits for the first and then fails). The statements are what MikroORM's schema
 * generator emits for `PartyPhoneEntity` and the entities' `register_phone` triggers, so the
 * schema diff stays empty.
 *
 * Existing data is checked first: numbers held by both a retailer and a vendor stop the
 * migration with a message counting them (an operator decides which party keeps each), rather
 * than a bare unique violation half-way through the backfill. The seed and the demo data
 * never share a number (retailers 980…, vendors 970…, the demo shop 9809999999).
 */
export class Migration20261206091000_phone_one_party extends Migration {
  override name = 'Migration20261206091000_phone_one_party';

  override up(): void | Promise<void> {
    this.addSql(
      `do $$ declare shared int; begin select count(*) into shared from "retailers" r join "vendors" v on v."phone" = r."phone"; if shared > 0 then raise exception 'phone_one_party: % phone number(s) belong to both a retailer and a vendor; give each to one party before migrating (select r.phone from retailers r join vendors v using (phone))', shared using errcode = '23505'; end if; end $$;`,
    );
    this.addSql(
      `create table "party_phones" ("phone" text not null, "party_kind" text not null, "party_id" uuid not null, primary key ("phone"));`,
    );
    this.addSql(
      `alter table "party_phones" add constraint "party_phones_party_kind_check" check ("party_kind" in ('retailer', 'vendor'));`,
    );
    this.addSql(
      `insert into "party_phones" ("phone", "party_kind", "party_id") select "phone", 'retailer', "id" from "retailers";`,
    );
    this.addSql(
      `insert into "party_phones" ("phone", "party_kind", "party_id") select "phone", 'vendor', "id" from "vendors";`,
    );
    this.addSql(
      `create or replace function "retailers_register_phone_fn"() returns trigger as $$ begin if tg_op = 'UPDATE' and old.phone = new.phone then return null; end if; if tg_op in ('UPDATE', 'DELETE') then delete from party_phones where phone = old.phone and party_id = old.id; end if; if tg_op in ('INSERT', 'UPDATE') then insert into party_phones (phone, party_kind, party_id) values (new.phone, 'retailer', new.id); end if; return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "register_phone" AFTER INSERT OR UPDATE OR DELETE on "retailers" for each ROW execute function "retailers_register_phone_fn"();`,
    );
    this.addSql(
      `create or replace function "vendors_register_phone_fn"() returns trigger as $$ begin if tg_op = 'UPDATE' and old.phone = new.phone then return null; end if; if tg_op in ('UPDATE', 'DELETE') then delete from party_phones where phone = old.phone and party_id = old.id; end if; if tg_op in ('INSERT', 'UPDATE') then insert into party_phones (phone, party_kind, party_id) values (new.phone, 'vendor', new.id); end if; return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "register_phone" AFTER INSERT OR UPDATE OR DELETE on "vendors" for each ROW execute function "vendors_register_phone_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "register_phone" on "retailers";`);
    this.addSql(`drop function if exists "retailers_register_phone_fn"();`);
    this.addSql(`drop trigger if exists "register_phone" on "vendors";`);
    this.addSql(`drop function if exists "vendors_register_phone_fn"();`);
    this.addSql(`drop table if exists "party_phones" cascade;`);
  }
}
