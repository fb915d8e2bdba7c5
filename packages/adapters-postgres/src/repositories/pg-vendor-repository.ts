import {
  VENDOR_STATUSES,
  normalizeArea,
  type Page,
  type PageRequest,
  PhoneNumber,
  type Vendor,
  type VendorId,
  type VendorRepository,
  type VendorStatus,
  storedLocation,
} from '@khaacho/core';
import { toDate } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';
import { prepared } from '../sql/prepared-statements.js';

interface VendorRow {
  id: string;
  name: string;
  phone: string;
  service_areas: string[];
  daily_capacity: number;
  lat: number | null;
  lng: number | null;
  status: string;
  created_at: unknown;
  updated_at: unknown;
}

export class PgVendorRepository implements VendorRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: VendorId): Promise<Vendor | null> {
    const [row] = await this.db.rows<VendorRow>('select * from vendors where id = $1', [id]);
    return row ? toVendor(row) : null;
  }

  async getByPhone(phone: PhoneNumber): Promise<Vendor | null> {
    const [row] = await this.db.rows<VendorRow>('select * from vendors where phone = $1', [phone.value]);
    return row ? toVendor(row) : null;
  }

  async getMany(ids: readonly VendorId[]): Promise<Vendor[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.rows<VendorRow>('select * from vendors where id = any($1::uuid[]) order by id', [
      [...ids],
    ]);
    return rows.map(toVendor);
  }

  async save(v: Vendor): Promise<void> {
    await this.db.run(
      `insert into vendors (id, name, phone, service_areas, daily_capacity, lat, lng, status, created_at, updated_at)
       values ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10)
       on conflict (id) do update set name = excluded.name, phone = excluded.phone,
         service_areas = excluded.service_areas, daily_capacity = excluded.daily_capacity, lat = excluded.lat,
         lng = excluded.lng, status = excluded.status, updated_at = excluded.updated_at`,
      [
        v.id,
        v.name,
        v.phone.value,
        [...v.serviceAreas],
        v.dailyCapacity,
        v.location?.lat ?? null,
        v.location?.lng ?? null,
        v.status,
        v.createdAt,
        v.updatedAt,
      ],
    );
  }

  async listActiveServing(area: string): Promise<Vendor[]> {
    // `@>` uses the GIN index on service_areas.
    const rows = await this.db.rows<VendorRow>(
      prepared(`select * from vendors where status = 'ACTIVE' and service_areas @> array[$1::text] order by id`),
      [normalizeArea(area)],
    );
    return rows.map(toVendor);
  }

  async list(page: PageRequest): Promise<Page<Vendor>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const { where, limit } = keysetClause(page, { at: 'created_at', id: 'id' }, param);
    const rows = await this.db.rows<VendorRow>(
      `select * from vendors ${where ? `where ${where}` : ''} order by created_at desc, id desc limit ${param(limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toVendor), limit, (v) => ({ at: v.createdAt, id: v.id }));
  }

  async countByStatus(): Promise<Readonly<Record<VendorStatus, number>>> {
    const rows = await this.db.rows<{ status: VendorStatus; n: string }>(
      'select status, count(*) as n from vendors group by status',
    );
    const counts = Object.fromEntries(VENDOR_STATUSES.map((s) => [s, 0])) as Record<VendorStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

function toVendor(row: VendorRow): Vendor {
  return {
    id: row.id as VendorId,
    name: row.name,
    phone: PhoneNumber.fromStored(row.phone),
    serviceAreas: [...row.service_areas],
    dailyCapacity: row.daily_capacity,
    location: storedLocation(row.lat, row.lng),
    status: row.status as VendorStatus,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
