import {
  RETAILER_STATUSES,
  type Page,
  type PageRequest,
  PhoneNumber,
  type Retailer,
  type RetailerId,
  type RetailerRepository,
  type RetailerStatus,
  storedLocation,
} from '@khaacho/core';
import { toDate } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';
import { prepared } from '../sql/prepared-statements.js';

interface RetailerRow {
  id: string;
  name: string;
  phone: string;
  area: string;
  district: string;
  lat: number | null;
  lng: number | null;
  status: string;
  created_at: unknown;
  updated_at: unknown;
}

const BY_ID = prepared('select * from retailers where id = $1');
const BY_PHONE = prepared('select * from retailers where phone = $1');

export class PgRetailerRepository implements RetailerRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: RetailerId): Promise<Retailer | null> {
    const [row] = await this.db.rows<RetailerRow>(BY_ID, [id]);
    return row ? toRetailer(row) : null;
  }

  async getByPhone(phone: PhoneNumber): Promise<Retailer | null> {
    const [row] = await this.db.rows<RetailerRow>(BY_PHONE, [phone.value]);
    return row ? toRetailer(row) : null;
  }

  async save(r: Retailer): Promise<void> {
    await this.db.run(
      `insert into retailers (id, name, phone, area, district, lat, lng, status, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (id) do update set name = excluded.name, phone = excluded.phone, area = excluded.area,
         district = excluded.district, lat = excluded.lat, lng = excluded.lng, status = excluded.status,
         updated_at = excluded.updated_at`,
      [
        r.id,
        r.name,
        r.phone.value,
        r.area,
        r.district,
        r.location?.lat ?? null,
        r.location?.lng ?? null,
        r.status,
        r.createdAt,
        r.updatedAt,
      ],
    );
  }

  async list(page: PageRequest): Promise<Page<Retailer>> {
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const { where, limit } = keysetClause(page, { at: 'created_at', id: 'id' }, param);
    const rows = await this.db.rows<RetailerRow>(
      `select * from retailers ${where ? `where ${where}` : ''} order by created_at desc, id desc limit ${param(limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toRetailer), limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async countByStatus(): Promise<Readonly<Record<RetailerStatus, number>>> {
    const rows = await this.db.rows<{ status: RetailerStatus; n: string }>(
      'select status, count(*) as n from retailers group by status',
    );
    const counts = Object.fromEntries(RETAILER_STATUSES.map((s) => [s, 0])) as Record<RetailerStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

function toRetailer(row: RetailerRow): Retailer {
  return {
    id: row.id as RetailerId,
    name: row.name,
    phone: PhoneNumber.fromStored(row.phone),
    area: row.area,
    district: row.district,
    location: storedLocation(row.lat, row.lng),
    status: row.status as RetailerStatus,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
