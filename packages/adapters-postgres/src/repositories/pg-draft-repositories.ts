import {
  type CatalogDefaultRepository,
  type DraftId,
  type DraftRepositories,
  type DraftStatus,
  defaultMentionKey,
  draftBodyToJSON,
  draftFromStored,
  type OrderDraft,
  type OrderDraftBodyJSON,
  type OrderDraftRepository,
  type OrderId,
  type Page,
  type PageRequest,
  type ProductId,
  type RetailerId,
} from '@khaacho/core';
import type { SqlSession } from '../sql/sql-session.js';
import { keysetClause, keysetPage } from './keyset.js';
import { jsonParam, toDate, toMoney } from '../sql/row-values.js';
import { prepared } from '../sql/prepared-statements.js';

export class PgCatalogDefaultRepository implements CatalogDefaultRepository {
  constructor(private readonly db: SqlSession) {}

  async list(): Promise<ReadonlyMap<string, ProductId>> {
    const rows = await this.db.rows<{ mention: string; product_id: string }>(
      prepared('select mention, product_id from catalog_defaults order by mention'),
    );
    return new Map(rows.map((r) => [r.mention, r.product_id as ProductId]));
  }

  async set(mention: string, productId: ProductId): Promise<void> {
    await this.db.run(
      `insert into catalog_defaults (mention, product_id) values ($1, $2)
       on conflict (mention) do update set product_id = excluded.product_id`,
      [defaultMentionKey(mention), productId],
    );
  }

  async remove(mention: string): Promise<boolean> {
    return (await this.db.run('delete from catalog_defaults where mention = $1', [defaultMentionKey(mention)])) > 0;
  }
}

interface DraftRow {
  id: string;
  retailer_id: string;
  status: string;
  total_amount: unknown;
  currency: string;
  body: OrderDraftBodyJSON;
  replaces_order_id: string | null;
  order_id: string | null;
  superseded_by: string | null;
  created_at: unknown;
  expires_at: unknown;
}

export class PgOrderDraftRepository implements OrderDraftRepository {
  constructor(private readonly db: SqlSession) {}

  async insert(d: OrderDraft, requestKey: string | null = null): Promise<void> {
    await this.db.run(
      prepared(`insert into order_drafts (id, retailer_id, status, total_amount, currency, body, replaces_order_id, order_id,
         superseded_by, created_at, expires_at, request_key)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12)`),
      [
        d.id,
        d.retailerId,
        d.status,
        d.total.amount,
        d.total.currency,
        jsonParam(draftBodyToJSON(d)),
        d.replacesOrderId,
        d.orderId,
        d.supersededBy,
        d.createdAt,
        d.expiresAt,
        requestKey,
      ],
    );
  }

  get(id: DraftId): Promise<OrderDraft | null> {
    return this.read('select * from order_drafts where id = $1', id);
  }

  async getByRequestKey(retailerId: RetailerId, requestKey: string): Promise<OrderDraft | null> {
    const [row] = await this.db.rows<DraftRow>(
      prepared('select * from order_drafts where retailer_id = $1 and request_key = $2'),
      [retailerId, requestKey],
    );
    return row ? toDraft(row) : null;
  }

  getForUpdate(id: DraftId): Promise<OrderDraft | null> {
    return this.read('select * from order_drafts where id = $1 for update', id);
  }

  async update(d: OrderDraft): Promise<void> {
    await this.db.run('update order_drafts set status = $2, order_id = $3, superseded_by = $4 where id = $1', [
      d.id,
      d.status,
      d.orderId,
      d.supersededBy,
    ]);
  }

  deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.run(
      `delete from order_drafts where id in (
         select id from order_drafts where status <> 'CONFIRMED' and expires_at < $1
         order by expires_at limit $2 for update skip locked)`,
      [before, limit],
    );
  }

  async listByRetailer(retailerId: RetailerId, page: PageRequest): Promise<Page<OrderDraft>> {
    const params: unknown[] = [retailerId];
    const param = (v: unknown) => `$${params.push(v)}`;
    const keyset = keysetClause(page, { at: 'created_at', id: 'id' }, param);
    const rows = await this.db.rows<DraftRow>(
      `select * from order_drafts where retailer_id = $1 ${keyset.where ? `and ${keyset.where}` : ''}
       order by created_at desc, id desc limit ${param(keyset.limit + 1)}`,
      params,
    );
    return keysetPage(rows.map(toDraft), keyset.limit, (d) => ({ at: d.createdAt, id: d.id }));
  }

  deleteByRetailer(retailerId: RetailerId): Promise<number> {
    return this.db.run('delete from order_drafts where retailer_id = $1', [retailerId]);
  }

  private async read(sql: string, id: DraftId): Promise<OrderDraft | null> {
    const [row] = await this.db.rows<DraftRow>(sql, [id]);
    return row ? toDraft(row) : null;
  }
}

function toDraft(row: DraftRow): OrderDraft {
  return draftFromStored(
    {
      id: row.id as DraftId,
      retailerId: row.retailer_id as RetailerId,
      total: toMoney(row.total_amount, row.currency),
      replacesOrderId: row.replaces_order_id as OrderId | null,
      status: row.status as DraftStatus,
      orderId: row.order_id as OrderId | null,
      supersededBy: row.superseded_by as DraftId | null,
      createdAt: toDate(row.created_at),
      expiresAt: toDate(row.expires_at),
    },
    row.body,
  );
}

export function createPgDraftRepositories(db: SqlSession): DraftRepositories {
  return { catalogDefaults: new PgCatalogDefaultRepository(db), orderDrafts: new PgOrderDraftRepository(db) };
}
