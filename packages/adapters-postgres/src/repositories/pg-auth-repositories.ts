import type {
  AuditEntry,
  AuditFilter,
  AuditLog,
  AuthRepositories,
  JsonValue,
  LoginThrottle,
  LoginThrottleRepository,
  Page,
  PageRequest,
  RefreshTokenRecord,
  RefreshTokenRepository,
  UserId,
} from '@khaacho/core';
import { jsonParam, toDate, toDateOrNull, toSafeInt } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';

interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: unknown;
  revoked_at: unknown;
  replaced_by: string | null;
  created_at: unknown;
}

export class PgRefreshTokenRepository implements RefreshTokenRepository {
  constructor(private readonly db: SqlSession) {}

  async insert(r: RefreshTokenRecord): Promise<void> {
    await this.db.run(
      `insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at, revoked_at, replaced_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.userId, r.familyId, r.digest, r.expiresAt, r.revokedAt, r.replacedBy, r.createdAt],
    );
  }

  async findByDigest(digest: string): Promise<RefreshTokenRecord | null> {
    const [row] = await this.db.rows<RefreshTokenRow>('select * from refresh_tokens where token_hash = $1', [digest]);
    return row ? toRecord(row) : null;
  }

  async markReplaced(id: string, replacedBy: string, _at: Date): Promise<boolean> {
    // One statement: under READ COMMITTED the second of two concurrent updates re-checks the
    // row after the first commits, finds replaced_by set and changes nothing.
    const n = await this.db.run(
      `update refresh_tokens set replaced_by = $2
       where id = $1 and replaced_by is null and revoked_at is null`,
      [id, replacedBy],
    );
    return n === 1;
  }

  revokeFamily(familyId: string, at: Date): Promise<number> {
    return this.db.run('update refresh_tokens set revoked_at = $2 where family_id = $1 and revoked_at is null', [
      familyId,
      at,
    ]);
  }

  deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.run(
      `delete from refresh_tokens where id in (
         select id from refresh_tokens where expires_at < $1 limit $2 for update skip locked)`,
      [before, limit],
    );
  }

  revokeAllForUser(userId: UserId, at: Date): Promise<number> {
    return this.db.run('update refresh_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null', [
      userId,
      at,
    ]);
  }
}

function toRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    userId: row.user_id as UserId,
    familyId: row.family_id,
    digest: row.token_hash,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    revokedAt: toDateOrNull(row.revoked_at),
    replacedBy: row.replaced_by,
  };
}

interface ThrottleRow {
  key: string;
  failures: unknown;
  window_started_at: unknown;
  last_failure_at: unknown;
  locked_until: unknown;
}

export class PgLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly db: SqlSession) {}

  async get(key: string): Promise<LoginThrottle | null> {
    const [row] = await this.db.rows<ThrottleRow>('select * from login_throttles where key = $1', [key]);
    return row && toSafeInt(row.failures) > 0 ? toThrottle(row) : null;
  }

  async getForUpdate(key: string): Promise<LoginThrottle | null> {
    // A row lock needs a row: take the key's first failure as a placeholder (no failures yet)
    // so a concurrent first failure waits here too. A placeholder reads as "no counter".
    await this.db.run(
      `insert into login_throttles (key, failures, window_started_at, last_failure_at, locked_until)
       values ($1, 0, now(), now(), null) on conflict (key) do nothing`,
      [key],
    );
    const [row] = await this.db.rows<ThrottleRow>('select * from login_throttles where key = $1 for update', [key]);
    return row && toSafeInt(row.failures) > 0 ? toThrottle(row) : null;
  }

  async save(t: LoginThrottle): Promise<void> {
    await this.db.run(
      `insert into login_throttles (key, failures, window_started_at, last_failure_at, locked_until)
       values ($1, $2, $3, $4, $5)
       on conflict (key) do update set failures = excluded.failures, window_started_at = excluded.window_started_at,
         last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
      [t.key, t.failures, t.windowStartedAt, t.lastFailureAt, t.lockedUntil],
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.run('delete from login_throttles where key = $1', [key]);
  }

  deleteStale(before: Date, limit: number): Promise<number> {
    return this.db.run(
      `delete from login_throttles where key in (
         select key from login_throttles
         where last_failure_at < $1 and (locked_until is null or locked_until < $1)
         limit $2 for update skip locked)`,
      [before, limit],
    );
  }
}

function toThrottle(row: ThrottleRow): LoginThrottle {
  return {
    key: row.key,
    failures: toSafeInt(row.failures),
    windowStartedAt: toDate(row.window_started_at),
    lastFailureAt: toDate(row.last_failure_at),
    lockedUntil: toDateOrNull(row.locked_until),
  };
}

interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  details: { [key: string]: JsonValue };
  ip: string | null;
  request_id: string | null;
  at: unknown;
}

/** Inserts and reads only: the table's trigger refuses UPDATE, DELETE and TRUNCATE. */
export class PgAuditLog implements AuditLog {
  constructor(private readonly db: SqlSession) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db.run(
      `insert into audit_log (id, actor_type, actor_id, actor_role, action, entity_type, entity_id, before, after, details, ip, request_id, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13)`,
      [
        e.id,
        e.actor.type,
        e.actor.id,
        e.actor.role,
        e.action,
        e.target?.type ?? null,
        e.target?.id ?? null,
        e.before === null ? null : jsonParam(e.before),
        e.after === null ? null : jsonParam(e.after),
        jsonParam(e.details),
        e.ip,
        e.requestId,
        e.at,
      ],
    );
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (filter.action !== undefined) where.push(`action = ${param(filter.action)}`);
    if (filter.actorId !== undefined) where.push(`actor_id = ${param(filter.actorId)}`);
    if (filter.target !== undefined) {
      where.push(`entity_type = ${param(filter.target.type)} and entity_id = ${param(filter.target.id)}`);
    }
    if (filter.from !== undefined) where.push(`at >= ${param(filter.from)}`);
    if (filter.to !== undefined) where.push(`at < ${param(filter.to)}`);
    const keyset = keysetClause(page, { at: 'at', id: 'id' }, param);
    if (keyset.where) where.push(keyset.where);
    const rows = await this.db.rows<AuditRow>(
      `select * from audit_log ${where.length ? `where ${where.join(' and ')}` : ''}
       order by at desc, id desc limit ${param(keyset.limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toEntry), keyset.limit, (e) => ({ at: e.at, id: e.id }));
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: toDate(row.at),
    actor: { type: row.actor_type as AuditEntry['actor']['type'], id: row.actor_id, role: row.actor_role },
    action: row.action,
    target: row.entity_type === null || row.entity_id === null ? null : { type: row.entity_type, id: row.entity_id },
    before: row.before,
    after: row.after,
    details: row.details,
    ip: row.ip,
    requestId: row.request_id,
  };
}

export function createPgAuthRepositories(db: SqlSession): AuthRepositories {
  return {
    refreshTokens: new PgRefreshTokenRepository(db),
    loginThrottles: new PgLoginThrottleRepository(db),
    auditLog: new PgAuditLog(db),
  };
}
