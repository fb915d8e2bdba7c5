import { Migration } from '@mikro-orm/migrations';

export class Migration20261122085628_initial extends Migration {
  override name = 'Migration20261122085628_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "alerts" ("id" uuid not null, "type" text not null, "severity" text not null, "status" text not null, "message" text not null, "details" jsonb not null, "dedupe_key" text null, "created_at" timestamptz not null, "acknowledged_at" timestamptz null, "resolved_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "alerts_open_idx" on "alerts" ("created_at") where status <> 'RESOLVED';`);
    this.addSql(`create index "alerts_dedupe_idx" on "alerts" ("dedupe_key", "created_at");`);

    this.addSql(
      `create table "audit_log" ("id" uuid not null, "actor_type" text not null, "actor_id" text null, "action" text not null, "entity_type" text null, "entity_id" text null, "details" jsonb not null, "ip" text null, "at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_log_at_idx" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_entity_idx" on "audit_log" ("entity_type", "entity_id");`);
    this.addSql(`create index "audit_log_actor_idx" on "audit_log" ("actor_type", "actor_id", "at");`);

    this.addSql(
      `create table "credit_score_history" ("id" uuid not null, "seq" bigserial, "retailer_id" uuid not null, "score" smallint not null, "band" text not null, "recommended_limit" bigint not null, "currency" varchar(3) not null, "limit_rule" text not null, "trigger" text not null, "calculated_at" timestamptz not null, "record" jsonb not null, primary key ("id"));`,
    );
    this.addSql(`alter table "credit_score_history" add constraint "credit_score_history_seq_key" unique ("seq");`);
    this.addSql(
      `create index "credit_score_history_retailer_at_idx" on "credit_score_history" ("retailer_id", "calculated_at", "seq");`,
    );

    this.addSql(
      `create table "idempotency_keys" ("scope" text not null, "key" text not null, "fingerprint" text not null, "response_status" smallint null, "response_body" jsonb null, "lease_until" timestamptz null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("scope", "key"));`,
    );
    this.addSql(`create index "idempotency_keys_created_at_idx" on "idempotency_keys" ("created_at");`);

    this.addSql(
      `create table "outbox" ("id" uuid not null, "seq" bigserial, "event_type" text not null, "aggregate_type" text not null, "aggregate_id" text not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "created_at" timestamptz not null, "available_at" timestamptz not null, "lease_until" timestamptz null, "attempts" int not null, "last_error" text null, "published_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "outbox" add constraint "outbox_seq_key" unique ("seq");`);
    this.addSql(
      `create index "outbox_unpublished_idx" on "outbox" ("available_at", "seq") where published_at is null;`,
    );
    this.addSql(`create index "outbox_aggregate_idx" on "outbox" ("aggregate_type", "aggregate_id");`);

    this.addSql(
      `create table "products" ("id" uuid not null, "sku" text not null, "name" text not null, "category" text not null, "base_unit" text not null, "conversions" jsonb not null, "active" boolean not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "products" add constraint "products_sku_key" unique ("sku");`);
    this.addSql(`create index "products_category_sku_idx" on "products" ("category", "sku");`);
    this.addSql(`create index "products_active_sku_idx" on "products" ("sku") where active;`);

    this.addSql(
      `create table "product_aliases" ("product_id" uuid not null, "position" smallint not null, "text" text not null, "language" text not null, "normalized" text not null, primary key ("product_id", "position"));`,
    );
    this.addSql(`create index "product_aliases_normalized_idx" on "product_aliases" ("normalized");`);

    this.addSql(
      `create table "retailers" ("id" uuid not null, "name" text not null, "phone" text not null, "area" text not null, "district" text not null, "lat" double precision null, "lng" double precision null, "status" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "retailers" add constraint "retailers_phone_key" unique ("phone");`);
    this.addSql(`create index "retailers_area_idx" on "retailers" ("area");`);
    this.addSql(`create index "retailers_created_id_idx" on "retailers" ("created_at", "id");`);

    this.addSql(
      `create table "credit_accounts" ("retailer_id" uuid not null, "currency" varchar(3) not null, "credit_limit" bigint not null, "limit_set_manually" boolean not null, "net_terms_days" smallint not null, "balance" bigint not null, "held" bigint not null, "unapplied_credit" bigint not null, "last_sequence" int not null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("retailer_id"));`,
    );

    this.addSql(
      `create table "ledger_entries" ("id" uuid not null, "retailer_id" uuid not null, "sequence" int not null, "type" text not null, "amount" bigint not null, "currency" varchar(3) not null, "order_id" uuid null, "reference" text null, "due_at" timestamptz null, "allocations" jsonb not null, "note" text null, "actor_type" text not null, "actor_id" text null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "ledger_entries_retailer_created_idx" on "ledger_entries" ("retailer_id", "created_at");`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_retailer_sequence_key" unique ("retailer_id", "sequence");`,
    );
    this.addSql(
      `create unique index "ledger_entries_order_type_key" on "ledger_entries" ("order_id", "type") where type in ('HOLD', 'RELEASE', 'INVOICE');`,
    );
    this.addSql(
      `create unique index "ledger_entries_reference_key" on "ledger_entries" ("retailer_id", "type", "reference") where type in ('PAYMENT', 'ADJUSTMENT');`,
    );

    this.addSql(
      `create table "credit_open_items" ("entry_id" uuid not null, "retailer_id" uuid not null, "order_id" uuid null, "type" text not null, "original" bigint not null, "remaining" bigint not null, "issued_at" timestamptz not null, "due_at" timestamptz not null, "sequence" int not null, primary key ("entry_id"));`,
    );
    this.addSql(
      `create index "credit_open_items_retailer_seq_idx" on "credit_open_items" ("retailer_id", "sequence");`,
    );
    this.addSql(`create index "credit_open_items_due_at_idx" on "credit_open_items" ("due_at");`);

    this.addSql(
      `create table "credit_holds" ("entry_id" uuid not null, "retailer_id" uuid not null, "order_id" uuid not null, "amount" bigint not null, "placed_at" timestamptz not null, "sequence" int not null, primary key ("entry_id"));`,
    );
    this.addSql(`create index "credit_holds_retailer_seq_idx" on "credit_holds" ("retailer_id", "sequence");`);
    this.addSql(`alter table "credit_holds" add constraint "credit_holds_order_key" unique ("order_id");`);

    this.addSql(
      `create table "risk_events" ("id" uuid not null, "order_id" uuid not null, "retailer_id" uuid not null, "rule_id" text not null, "action" text not null, "outcome" text not null, "triggered" boolean not null, "assessed_at" timestamptz not null, "record" jsonb not null, primary key ("id"));`,
    );
    this.addSql(`create index "risk_events_order_idx" on "risk_events" ("order_id", "assessed_at", "rule_id");`);
    this.addSql(`create index "risk_events_retailer_idx" on "risk_events" ("retailer_id", "assessed_at", "rule_id");`);
    this.addSql(`create index "risk_events_triggered_idx" on "risk_events" ("assessed_at") where triggered;`);

    this.addSql(
      `create table "risk_rules" ("id" text not null, "type" text not null, "action" text not null, "enabled" boolean not null, "record" jsonb not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "routing_decisions" ("id" uuid not null, "order_id" uuid not null, "attempt" smallint not null, "selected_vendor_id" uuid null, "created_at" timestamptz not null, "record" jsonb not null, primary key ("id"));`,
    );
    this.addSql(`create index "routing_decisions_created_at_idx" on "routing_decisions" ("created_at");`);
    this.addSql(
      `alter table "routing_decisions" add constraint "routing_decisions_order_attempt_key" unique ("order_id", "attempt");`,
    );

    this.addSql(
      `create table "vendors" ("id" uuid not null, "name" text not null, "phone" text not null, "service_areas" text[] not null, "daily_capacity" int not null, "lat" double precision null, "lng" double precision null, "status" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "vendors" add constraint "vendors_phone_key" unique ("phone");`);
    this.addSql(`create index "vendors_service_areas_idx" on "vendors" using gin ("service_areas");`);
    this.addSql(`create index "vendors_created_id_idx" on "vendors" ("created_at", "id");`);

    this.addSql(
      `create table "users" ("id" uuid not null, "email" text null, "phone" text null, "password_hash" text not null, "role" text not null, "retailer_id" uuid null, "vendor_id" uuid null, "active" boolean not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_key" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_phone_key" unique ("phone");`);
    this.addSql(`create index "users_retailer_id_idx" on "users" ("retailer_id");`);
    this.addSql(`create index "users_vendor_id_idx" on "users" ("vendor_id");`);

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "replaced_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_user_id_idx" on "refresh_tokens" ("user_id");`);
    this.addSql(`create index "refresh_tokens_family_id_idx" on "refresh_tokens" ("family_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_key" unique ("token_hash");`);

    this.addSql(
      `create table "price_history" ("id" bigserial primary key, "vendor_id" uuid not null, "product_id" uuid not null, "unit" text not null, "previous_price" bigint null, "price" bigint not null, "currency" varchar(3) not null, "changed_at" timestamptz not null);`,
    );
    this.addSql(`create index "price_history_vendor_id_idx" on "price_history" ("vendor_id");`);
    this.addSql(`create index "price_history_product_changed_idx" on "price_history" ("product_id", "changed_at");`);

    this.addSql(
      `create table "orders" ("id" uuid not null, "number" text not null, "retailer_id" uuid not null, "vendor_id" uuid null, "status" text not null, "total_amount" bigint not null, "currency" varchar(3) not null, "source" text not null, "note" text null, "placed_at" timestamptz not null, "updated_at" timestamptz not null, "needs_manual_assignment" boolean not null, "paid_in_full" boolean not null, "offer_deadline" timestamptz null, "confirmed_at" timestamptz null, "version" int not null, primary key ("id"));`,
    );
    this.addSql(`alter table "orders" add constraint "orders_number_key" unique ("number");`);
    this.addSql(`create index "orders_placed_id_idx" on "orders" ("placed_at", "id");`);
    this.addSql(`create index "orders_retailer_placed_idx" on "orders" ("retailer_id", "placed_at", "id");`);
    this.addSql(`create index "orders_status_placed_idx" on "orders" ("status", "placed_at");`);
    this.addSql(`create index "orders_vendor_confirmed_idx" on "orders" ("vendor_id", "confirmed_at");`);
    this.addSql(
      `create index "orders_pending_exposure_idx" on "orders" ("retailer_id", "currency") where status in ('PENDING', 'ON_HOLD', 'ROUTING');`,
    );
    this.addSql(`create index "orders_offer_deadline_idx" on "orders" ("offer_deadline") where status = 'ROUTING';`);
    this.addSql(`create index "orders_manual_assignment_idx" on "orders" ("placed_at") where needs_manual_assignment;`);

    this.addSql(
      `create table "routing_attempts" ("order_id" uuid not null, "attempt" smallint not null, "vendor_id" uuid not null, "offered_at" timestamptz not null, "deadline" timestamptz not null, "outcome" text not null, "responded_at" timestamptz null, "reason" text null, "manual" boolean not null, primary key ("order_id", "attempt"));`,
    );
    this.addSql(
      `create index "routing_attempts_vendor_offered_idx" on "routing_attempts" ("vendor_id", "offered_at");`,
    );

    this.addSql(
      `create table "order_status_log" ("order_id" uuid not null, "seq" smallint not null, "from_status" text null, "to_status" text not null, "actor_type" text not null, "actor_id" text null, "reason" text null, "at" timestamptz not null, primary key ("order_id", "seq"));`,
    );
    this.addSql(`create index "order_status_log_at_idx" on "order_status_log" ("at");`);

    this.addSql(
      `create table "order_items" ("order_id" uuid not null, "line_no" smallint not null, "product_id" uuid not null, "sku" text not null, "name" text not null, "quantity_milli" bigint not null, "unit" text not null, "unit_price" bigint not null, "price_unit" text not null, "line_total" bigint not null, "currency" varchar(3) not null, primary key ("order_id", "line_no"));`,
    );
    this.addSql(`create index "order_items_product_id_idx" on "order_items" ("product_id");`);

    this.addSql(
      `create table "vendor_offers" ("id" uuid not null, "vendor_id" uuid not null, "product_id" uuid not null, "unit" text not null, "unit_price" bigint not null, "currency" varchar(3) not null, "stock_on_hand" numeric(14,3) not null, "min_order_qty" numeric(14,3) not null, "lead_time_hours" numeric(10,2) not null, "active" boolean not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "vendor_offers_product_id_idx" on "vendor_offers" ("product_id");`);
    this.addSql(
      `create index "vendor_offers_active_product_idx" on "vendor_offers" ("product_id", "vendor_id") where active;`,
    );
    this.addSql(
      `alter table "vendor_offers" add constraint "vendor_offers_vendor_product_key" unique ("vendor_id", "product_id");`,
    );

    this.addSql(
      `create table "vendor_ratings" ("id" uuid not null, "vendor_id" uuid not null, "retailer_id" uuid not null, "order_id" uuid not null, "rating" smallint not null, "comment" text null, "rated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "vendor_ratings" add constraint "vendor_ratings_order_key" unique ("order_id");`);
    this.addSql(`create index "vendor_ratings_vendor_rated_idx" on "vendor_ratings" ("vendor_id", "rated_at");`);

    this.addSql(
      `create table "webhook_inbox" ("id" uuid not null, "provider" text not null, "external_id" text not null, "payload" jsonb not null, "received_at" timestamptz not null, "status" text not null, "attempts" int not null, "last_error" text null, "lease_until" timestamptz null, "processed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_inbox_pending_idx" on "webhook_inbox" ("received_at", "id") where status <> 'PROCESSED';`,
    );
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_provider_external_key" unique ("provider", "external_id");`,
    );

    this.addSql(
      `alter table "alerts" add constraint "alerts_severity_check" check ("severity" in ('info', 'warning', 'critical'));`,
    );
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED'));`,
    );

    this.addSql(
      `alter table "products" add constraint "products_base_unit_check" check ("base_unit" in ('piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'));`,
    );

    this.addSql(
      `alter table "product_aliases" add constraint "product_aliases_product_id_foreign" foreign key ("product_id") references "products" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "product_aliases" add constraint "product_aliases_language_check" check ("language" in ('en', 'ne', 'ne-Latn'));`,
    );

    this.addSql(
      `alter table "retailers" add constraint "retailers_status_check" check ("status" in ('PENDING_KYC', 'ACTIVE', 'SUSPENDED'));`,
    );

    this.addSql(
      `alter table "credit_accounts" add constraint "credit_accounts_retailer_id_foreign" foreign key ("retailer_id") references "retailers" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_retailer_id_foreign" foreign key ("retailer_id") references "credit_accounts" ("retailer_id");`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_type_check" check ("type" in ('INVOICE', 'PAYMENT', 'ADJUSTMENT', 'HOLD', 'RELEASE'));`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_actor_type_check" check ("actor_type" in ('system', 'retailer', 'vendor', 'operator', 'admin'));`,
    );
    this.addSql(
      `create or replace function "ledger_entries_ledger_entries_append_only_fn"() returns trigger as $$ begin raise exception 'ledger_entries is append-only (% refused)', tg_op using errcode = '55000'; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "ledger_entries_append_only" BEFORE UPDATE OR DELETE on "ledger_entries" for each ROW execute function "ledger_entries_ledger_entries_append_only_fn"();`,
    );

    this.addSql(
      `alter table "credit_open_items" add constraint "credit_open_items_entry_id_foreign" foreign key ("entry_id") references "ledger_entries" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_open_items" add constraint "credit_open_items_retailer_id_foreign" foreign key ("retailer_id") references "credit_accounts" ("retailer_id") on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_open_items" add constraint "credit_open_items_type_check" check ("type" in ('INVOICE', 'ADJUSTMENT'));`,
    );

    this.addSql(
      `alter table "credit_holds" add constraint "credit_holds_entry_id_foreign" foreign key ("entry_id") references "ledger_entries" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "credit_holds" add constraint "credit_holds_retailer_id_foreign" foreign key ("retailer_id") references "credit_accounts" ("retailer_id") on delete cascade;`,
    );

    this.addSql(
      `alter table "risk_events" add constraint "risk_events_action_check" check ("action" in ('ALLOW', 'REVIEW', 'BLOCK'));`,
    );

    this.addSql(
      `alter table "risk_rules" add constraint "risk_rules_action_check" check ("action" in ('ALLOW', 'REVIEW', 'BLOCK'));`,
    );

    this.addSql(
      `alter table "vendors" add constraint "vendors_status_check" check ("status" in ('ACTIVE', 'INACTIVE', 'SUSPENDED'));`,
    );

    this.addSql(
      `alter table "users" add constraint "users_retailer_id_foreign" foreign key ("retailer_id") references "retailers" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "users" add constraint "users_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "users" add constraint "users_role_check" check ("role" in ('ADMIN', 'OPERATOR', 'VENDOR', 'RETAILER'));`,
    );

    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "price_history" add constraint "price_history_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id");`,
    );
    this.addSql(
      `alter table "price_history" add constraint "price_history_product_id_foreign" foreign key ("product_id") references "products" ("id");`,
    );
    this.addSql(
      `alter table "price_history" add constraint "price_history_unit_check" check ("unit" in ('piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'));`,
    );

    this.addSql(
      `alter table "orders" add constraint "orders_retailer_id_foreign" foreign key ("retailer_id") references "retailers" ("id");`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('PENDING', 'ON_HOLD', 'ROUTING', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED', 'REJECTED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_source_check" check ("source" in ('whatsapp', 'api', 'admin'));`,
    );

    this.addSql(
      `alter table "routing_attempts" add constraint "routing_attempts_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "routing_attempts" add constraint "routing_attempts_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id");`,
    );
    this.addSql(
      `alter table "routing_attempts" add constraint "routing_attempts_outcome_check" check ("outcome" in ('PENDING', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'));`,
    );

    this.addSql(
      `alter table "order_status_log" add constraint "order_status_log_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "order_status_log" add constraint "order_status_log_from_status_check" check ("from_status" in ('PENDING', 'ON_HOLD', 'ROUTING', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED', 'REJECTED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table "order_status_log" add constraint "order_status_log_to_status_check" check ("to_status" in ('PENDING', 'ON_HOLD', 'ROUTING', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'COMPLETED', 'REJECTED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table "order_status_log" add constraint "order_status_log_actor_type_check" check ("actor_type" in ('system', 'retailer', 'vendor', 'operator', 'admin'));`,
    );

    this.addSql(
      `alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_unit_check" check ("unit" in ('piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'));`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_price_unit_check" check ("price_unit" in ('piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'));`,
    );

    this.addSql(
      `alter table "vendor_offers" add constraint "vendor_offers_vendor_id_foreign" foreign key ("vendor_id") references "vendors" ("id");`,
    );
    this.addSql(
      `alter table "vendor_offers" add constraint "vendor_offers_product_id_foreign" foreign key ("product_id") references "products" ("id");`,
    );
    this.addSql(
      `alter table "vendor_offers" add constraint "vendor_offers_unit_check" check ("unit" in ('piece', 'kg', 'g', 'litre', 'ml', 'carton', 'bag', 'packet', 'dozen', 'bottle', 'box'));`,
    );

    this.addSql(
      `alter table "vendor_ratings" add constraint "vendor_ratings_rating_check" check (((rating >= 1) AND (rating <= 5)));`,
    );

    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_status_check" check ("status" in ('RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED'));`,
    );

    // Not expressible as an entity: order numbers come from a sequence (no hot counter row).
    this.addSql(`create sequence if not exists "order_number_seq" as bigint start 1;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop sequence if exists "order_number_seq";`);
    this.addSql(`alter table "product_aliases" drop constraint "product_aliases_product_id_foreign";`);
    this.addSql(`alter table "price_history" drop constraint "price_history_product_id_foreign";`);
    this.addSql(`alter table "vendor_offers" drop constraint "vendor_offers_product_id_foreign";`);
    this.addSql(`alter table "credit_accounts" drop constraint "credit_accounts_retailer_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_retailer_id_foreign";`);
    this.addSql(`alter table "orders" drop constraint "orders_retailer_id_foreign";`);
    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_retailer_id_foreign";`);
    this.addSql(`alter table "credit_open_items" drop constraint "credit_open_items_retailer_id_foreign";`);
    this.addSql(`alter table "credit_holds" drop constraint "credit_holds_retailer_id_foreign";`);
    this.addSql(`alter table "credit_open_items" drop constraint "credit_open_items_entry_id_foreign";`);
    this.addSql(`alter table "credit_holds" drop constraint "credit_holds_entry_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_vendor_id_foreign";`);
    this.addSql(`alter table "price_history" drop constraint "price_history_vendor_id_foreign";`);
    this.addSql(`alter table "orders" drop constraint "orders_vendor_id_foreign";`);
    this.addSql(`alter table "routing_attempts" drop constraint "routing_attempts_vendor_id_foreign";`);
    this.addSql(`alter table "vendor_offers" drop constraint "vendor_offers_vendor_id_foreign";`);
    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_user_id_foreign";`);
    this.addSql(`alter table "routing_attempts" drop constraint "routing_attempts_order_id_foreign";`);
    this.addSql(`alter table "order_status_log" drop constraint "order_status_log_order_id_foreign";`);
    this.addSql(`alter table "order_items" drop constraint "order_items_order_id_foreign";`);

    this.addSql(`drop table if exists "alerts" cascade;`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop table if exists "credit_score_history" cascade;`);
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
    this.addSql(`drop table if exists "outbox" cascade;`);
    this.addSql(`drop table if exists "products" cascade;`);
    this.addSql(`drop table if exists "product_aliases" cascade;`);
    this.addSql(`drop table if exists "retailers" cascade;`);
    this.addSql(`drop table if exists "credit_accounts" cascade;`);
    this.addSql(`drop trigger if exists "ledger_entries_append_only" on "ledger_entries";`);
    this.addSql(`drop function if exists "ledger_entries_ledger_entries_append_only_fn"();`);
    this.addSql(`drop table if exists "ledger_entries" cascade;`);
    this.addSql(`drop table if exists "credit_open_items" cascade;`);
    this.addSql(`drop table if exists "credit_holds" cascade;`);
    this.addSql(`drop table if exists "risk_events" cascade;`);
    this.addSql(`drop table if exists "risk_rules" cascade;`);
    this.addSql(`drop table if exists "routing_decisions" cascade;`);
    this.addSql(`drop table if exists "vendors" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);
    this.addSql(`drop table if exists "price_history" cascade;`);
    this.addSql(`drop table if exists "orders" cascade;`);
    this.addSql(`drop table if exists "routing_attempts" cascade;`);
    this.addSql(`drop table if exists "order_status_log" cascade;`);
    this.addSql(`drop table if exists "order_items" cascade;`);
    this.addSql(`drop table if exists "vendor_offers" cascade;`);
    this.addSql(`drop table if exists "vendor_ratings" cascade;`);
    this.addSql(`drop table if exists "webhook_inbox" cascade;`);
  }
}
