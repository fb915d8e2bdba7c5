import {
  type Actor,
  ConcurrencyError,
  type ConversationLanguage,
  ONBOARDING_STATUSES,
  type OnboardingRepositories,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingRequestStore,
  type OnboardingRole,
  type OnboardingStatus,
  type Page,
  type PageRequest,
  PhoneNumber,
  type RetailerId,
  type VendorId,
} from '@khaacho/core';
import type { SqlSession } from '../sql/sql-session.js';
import { jsonParam, toDate, toDateOrNull, toSafeInt } from '../sql/row-values.js';
import { keysetClause, keysetPage } from './keyset.js';

interface OnboardingRow {
  id: string;
  phone: string;
  shop_name: string | null;
  area: string | null;
  requested_role: string | null;
  language: string;
  status: string;
  messages: unknown;
  created_at: unknown;
  last_message_at: unknown;
  decided_at: unknown;
  decided_by: Actor | null;
  reason: string | null;
  retailer_id: string | null;
  vendor_id: string | null;
  version: unknown;
}

export class PgOnboardingRequestStore implements OnboardingRequestStore {
  constructor(private readonly db: SqlSession) {}

  async get(id: OnboardingRequestId): Promise<OnboardingRequest | null> {
    const [row] = await this.db.rows<OnboardingRow>('select * from onboarding_requests where id = $1', [id]);
    return row ? toRequest(row) : null;
  }

  async latestByPhone(phone: PhoneNumber): Promise<OnboardingRequest | null> {
    const [row] = await this.db.rows<OnboardingRow>(
      'select * from onboarding_requests where phone = $1 order by created_at desc, id desc limit 1',
      [phone.value],
    );
    return row ? toRequest(row) : null;
  }

  async listByPhone(phone: PhoneNumber): Promise<OnboardingRequest[]> {
    const rows = await this.db.rows<OnboardingRow>(
      'select * from onboarding_requests where phone = $1 order by created_at desc, id desc',
      [phone.value],
    );
    return rows.map(toRequest);
  }

  async save(request: OnboardingRequest): Promise<OnboardingRequest> {
    const saved: OnboardingRequest = { ...request, version: request.version + 1 };
    const values = [
      saved.id,
      saved.phone.value,
      saved.status === 'PENDING' ? saved.phone.value : null,
      saved.shopName,
      saved.area,
      saved.language,
      saved.status,
      saved.messages,
      saved.createdAt,
      saved.lastMessageAt,
      saved.decidedAt,
      saved.decidedBy === null ? null : jsonParam(saved.decidedBy),
      saved.reason,
      saved.retailerId,
      saved.version,
      saved.requestedRole,
      saved.vendorId,
    ];
    // No read before the write: an insert that meets the id or the number's pending request
    // inserts nothing, and an update whose version moved on updates nothing.
    const changed =
      request.version === 0
        ? await this.db.run(
            `insert into onboarding_requests (id, phone, pending_phone, shop_name, area, language, status, messages,
               created_at, last_message_at, decided_at, decided_by, reason, retailer_id, version, requested_role, vendor_id)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17)
             on conflict do nothing`,
            values,
          )
        : await this.db.run(
            // created_at ($9) never changes: compared, so that every parameter has a type.
            `update onboarding_requests set pending_phone = $3, shop_name = $4, area = $5, language = $6, status = $7,
               messages = $8, last_message_at = $10, decided_at = $11, decided_by = $12::jsonb, reason = $13,
               retailer_id = $14, version = $15, requested_role = $16, vendor_id = $17
             where id = $1 and phone = $2 and created_at = $9 and version = $18`,
            [...values, request.version],
          );
    if (changed === 0) {
      throw new ConcurrencyError('onboarding request was changed by someone else, or the number has one pending', {
        expectedVersion: request.version,
      });
    }
    return saved;
  }

  async list(filter: { readonly status?: OnboardingStatus }, page: PageRequest): Promise<Page<OnboardingRequest>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    const keyset = keysetClause(page, { at: 'created_at', id: 'id' }, param);
    if (keyset.where) where.push(keyset.where);
    const rows = await this.db.rows<OnboardingRow>(
      `select * from onboarding_requests ${where.length ? `where ${where.join(' and ')}` : ''}
       order by created_at desc, id desc limit ${param(keyset.limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toRequest), keyset.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async countByStatus(): Promise<Readonly<Record<OnboardingStatus, number>>> {
    const rows = await this.db.rows<{ status: OnboardingStatus; n: string }>(
      'select status, count(*) as n from onboarding_requests group by status',
    );
    const counts = Object.fromEntries(ONBOARDING_STATUSES.map((s) => [s, 0])) as Record<OnboardingStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  deleteByPhone(phone: PhoneNumber): Promise<number> {
    return this.db.run('delete from onboarding_requests where phone = $1', [phone.value]);
  }
}

function toRequest(row: OnboardingRow): OnboardingRequest {
  return {
    id: row.id as OnboardingRequestId,
    phone: PhoneNumber.fromStored(row.phone),
    shopName: row.shop_name,
    area: row.area,
    requestedRole: row.requested_role as OnboardingRole | null,
    language: row.language as ConversationLanguage,
    status: row.status as OnboardingStatus,
    messages: toSafeInt(row.messages),
    createdAt: toDate(row.created_at),
    lastMessageAt: toDate(row.last_message_at),
    decidedAt: toDateOrNull(row.decided_at),
    decidedBy: row.decided_by,
    reason: row.reason,
    retailerId: row.retailer_id as RetailerId | null,
    vendorId: row.vendor_id as VendorId | null,
    version: toSafeInt(row.version),
  };
}

export function createPgOnboardingRepositories(db: SqlSession): OnboardingRepositories {
  return { onboardingRequests: new PgOnboardingRequestStore(db) };
}
