import { Migration } from '@mikro-orm/migrations';

/*
 * Authentication (issue 11): account approval, login throttling, and an audit log that
 * holds before/after and the request it came from, append-only.
 *
 * - users get a TOTP second factor: the secret sealed by app-http, when it was confirmed,
 *   and the last time step used (a code is good once).
 * - users.active becomes users.status: an active user is ACTIVE, an inactive one DISABLED
 *   (no row can have been pending: self-registration did not exist before this).
 * - The audit log refuses UPDATE, DELETE and TRUNCATE with a trigger, whoever asks: an
 *   entry is corrected by a new entry, never in place. Dropping the table (migrating down)
 *   is still possible for its owner. The refusal is SQLSTATE 23514 on the constraint name
 *   `audit_log_append_only`, which the adapter reports as VALIDATION.CONSTRAINT_VIOLATED.
 */
const APPEND_ONLY = `raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'check_violation', constraint = 'audit_log_append_only';`;

export class Migration20261206011500_auth extends Migration {
  override name = 'Migration20261206011500_auth';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "login_throttles" ("key" text not null, "failures" int not null, "window_started_at" timestamptz not null, "last_failure_at" timestamptz not null, "locked_until" timestamptz null, primary key ("key"));`,
    );
    this.addSql(
      `alter table "login_throttles" add constraint "login_throttles_failures_check" check ("failures" >= 0);`,
    );

    this.addSql(`alter table "users" add "status" text null, add "updated_at" timestamptz null;`);
    this.addSql(
      `update "users" set "status" = case when "active" then 'ACTIVE' else 'DISABLED' end, "updated_at" = "created_at";`,
    );
    this.addSql(`alter table "users" alter column "status" set not null, alter column "updated_at" set not null;`);
    this.addSql(`alter table "users" drop column "active";`);
    this.addSql(
      `alter table "users" add "totp_secret" text null, add "totp_confirmed_at" timestamptz null, add "totp_last_step" bigint null;`,
    );
    this.addSql(`create index "users_status_created_idx" on "users" ("status", "created_at");`);
    this.addSql(
      `alter table "users" add constraint "users_status_check" check ("status" in ('PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'DISABLED'));`,
    );

    this.addSql(
      `alter table "audit_log" add "actor_role" text null, add "before" jsonb null, add "after" jsonb null, add "request_id" text null;`,
    );
    this.addSql(`create index "audit_log_action_at_idx" on "audit_log" ("action", "at");`);
    // As the schema generator writes it from AuditLogEntity's trigger, so the schema check sees no drift.
    this.addSql(
      `create or replace function "audit_log_no_update_delete_fn"() returns trigger as $$ begin ${APPEND_ONLY} end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "no_update_delete" BEFORE UPDATE OR DELETE on "audit_log" for each ROW execute function "audit_log_no_update_delete_fn"();`,
    );
    // Invisible to the schema diff (information_schema lists no TRUNCATE triggers), so not in the entity.
    this.addSql(
      `create or replace function "audit_log_no_truncate_fn"() returns trigger as $$ begin ${APPEND_ONLY} end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "no_truncate" BEFORE TRUNCATE on "audit_log" for each STATEMENT execute function "audit_log_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    for (const name of ['no_truncate', 'no_update_delete']) {
      this.addSql(`drop trigger if exists "${name}" on "audit_log";`);
      this.addSql(`drop function if exists "audit_log_${name}_fn"();`);
    }
    this.addSql(`drop index if exists "audit_log_action_at_idx";`);
    this.addSql(
      `alter table "audit_log" drop column "actor_role", drop column "before", drop column "after", drop column "request_id";`,
    );

    this.addSql(`alter table "users" drop constraint if exists "users_status_check";`);
    this.addSql(`drop index if exists "users_status_created_idx";`);
    this.addSql(`alter table "users" add "active" boolean null;`);
    this.addSql(`update "users" set "active" = ("status" = 'ACTIVE');`);
    this.addSql(`alter table "users" alter column "active" set not null;`);
    this.addSql(
      `alter table "users" drop column "status", drop column "updated_at", drop column "totp_secret", drop column "totp_confirmed_at", drop column "totp_last_step";`,
    );

    this.addSql(`drop table if exists "login_throttles" cascade;`);
  }
}
