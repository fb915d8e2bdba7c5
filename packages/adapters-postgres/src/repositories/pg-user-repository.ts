import {
  USER_STATUSES,
  PhoneNumber,
  type RetailerId,
  type Role,
  type User,
  type UserId,
  type UserStatus,
  type Page,
  type PageRequest,
  type UserFilter,
  type UserRepository,
  type VendorId,
} from '@khaacho/core';
import { toDate, toDateOrNull, toSafeInt } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';

interface UserRow {
  id: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  role: string;
  retailer_id: string | null;
  vendor_id: string | null;
  status: string;
  totp_secret: string | null;
  totp_confirmed_at: unknown;
  totp_last_step: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export class PgUserRepository implements UserRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: UserId): Promise<User | null> {
    const [row] = await this.db.rows<UserRow>('select * from users where id = $1', [id]);
    return row ? toUser(row) : null;
  }

  async getByEmail(email: string): Promise<User | null> {
    const [row] = await this.db.rows<UserRow>('select * from users where email = $1', [email.trim().toLowerCase()]);
    return row ? toUser(row) : null;
  }

  async getByPhone(phone: PhoneNumber): Promise<User | null> {
    const [row] = await this.db.rows<UserRow>('select * from users where phone = $1', [phone.value]);
    return row ? toUser(row) : null;
  }

  async save(u: User): Promise<void> {
    await this.db.run(
      `insert into users (id, email, phone, password_hash, role, retailer_id, vendor_id, status,
         totp_secret, totp_confirmed_at, totp_last_step, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (id) do update set email = excluded.email, phone = excluded.phone,
         password_hash = excluded.password_hash, role = excluded.role, retailer_id = excluded.retailer_id,
         vendor_id = excluded.vendor_id, status = excluded.status, totp_secret = excluded.totp_secret,
         totp_confirmed_at = excluded.totp_confirmed_at, totp_last_step = excluded.totp_last_step,
         updated_at = excluded.updated_at`,
      [
        u.id,
        u.email,
        u.phone?.value ?? null,
        u.passwordHash,
        u.role,
        u.retailerId,
        u.vendorId,
        u.status,
        u.totp?.sealedSecret ?? null,
        u.totp?.confirmedAt ?? null,
        u.totp?.lastUsedStep ?? null,
        u.createdAt,
        u.updatedAt,
      ],
    );
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.role !== undefined) where.push(`role = ${param(filter.role)}`);
    if (filter.retailerId !== undefined) where.push(`retailer_id = ${param(filter.retailerId)}`);
    const keyset = keysetClause(page, { at: 'created_at', id: 'id' }, param);
    if (keyset.where) where.push(keyset.where);
    const rows = await this.db.rows<UserRow>(
      `select * from users ${where.length ? `where ${where.join(' and ')}` : ''}
       order by created_at desc, id desc limit ${param(keyset.limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toUser), keyset.limit, (u) => ({ at: u.createdAt, id: u.id }));
  }

  async countByStatus(): Promise<Readonly<Record<UserStatus, number>>> {
    const rows = await this.db.rows<{ status: UserStatus; n: string }>(
      'select status, count(*) as n from users group by status',
    );
    const counts = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<UserStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

function toUser(row: UserRow): User {
  return {
    id: row.id as UserId,
    email: row.email,
    phone: row.phone === null ? null : PhoneNumber.fromStored(row.phone),
    passwordHash: row.password_hash,
    role: row.role as Role,
    retailerId: row.retailer_id as RetailerId | null,
    vendorId: row.vendor_id as VendorId | null,
    status: row.status as UserStatus,
    totp:
      row.totp_secret === null
        ? null
        : {
            sealedSecret: row.totp_secret,
            confirmedAt: toDateOrNull(row.totp_confirmed_at),
            lastUsedStep: row.totp_last_step === null ? null : toSafeInt(row.totp_last_step),
          },
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
