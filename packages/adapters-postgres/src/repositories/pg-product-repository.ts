import {
  type AliasLanguage,
  type Page,
  type PageRequest,
  type Product,
  type ProductFilter,
  type ProductId,
  type ProductRepository,
  pageLimit,
  type Unit,
  type UnitConversion,
  ValidationError,
} from '@khaacho/core';
import { jsonParam, likePattern, toDate } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  category: string;
  base_unit: string;
  conversions: { unit: string; toBase: number }[];
  active: boolean;
  created_at: unknown;
  updated_at: unknown;
  aliases: { text: string; language: string }[];
}

// Aliases come back with the product in one round trip, in their stored order.
const SELECT = `
  select p.*, coalesce((
    select json_agg(json_build_object('text', a.text, 'language', a.language) order by a.position)
    from product_aliases a where a.product_id = p.id), '[]'::json) as aliases
  from products p`;

export class PgProductRepository implements ProductRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: ProductId): Promise<Product | null> {
    const [row] = await this.db.rows<ProductRow>(`${SELECT} where p.id = $1`, [id]);
    return row ? toProduct(row) : null;
  }

  async getBySku(sku: string): Promise<Product | null> {
    const [row] = await this.db.rows<ProductRow>(`${SELECT} where p.sku = $1`, [sku.trim().toUpperCase()]);
    return row ? toProduct(row) : null;
  }

  async getMany(ids: readonly ProductId[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.rows<ProductRow>(`${SELECT} where p.id = any($1::uuid[]) order by p.sku`, [[...ids]]);
    return rows.map(toProduct);
  }

  async getManyBySku(skus: readonly string[]): Promise<Product[]> {
    if (skus.length === 0) return [];
    const wanted = [...new Set(skus.map((s) => s.trim().toUpperCase()))];
    const rows = await this.db.rows<ProductRow>(`${SELECT} where p.sku = any($1::text[]) order by p.sku`, [wanted]);
    return rows.map(toProduct);
  }

  async save(product: Product): Promise<void> {
    await this.db.atomic(async (tx) => {
      await tx.run(
        `insert into products (id, sku, name, category, base_unit, conversions, active, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
         on conflict (id) do update set sku = excluded.sku, name = excluded.name, category = excluded.category,
           base_unit = excluded.base_unit, conversions = excluded.conversions, active = excluded.active,
           updated_at = excluded.updated_at`,
        [
          product.id,
          product.sku,
          product.name,
          product.category,
          product.baseUnit,
          jsonParam(product.conversions.map((c) => ({ unit: c.unit, toBase: c.toBase }))),
          product.active,
          product.createdAt,
          product.updatedAt,
        ],
      );
      await tx.run('delete from product_aliases where product_id = $1', [product.id]);
      if (product.aliases.length > 0) {
        await tx.run(
          `insert into product_aliases (product_id, position, text, language, normalized)
           select $1, t.ord::smallint, t.text, t.language, lower(t.text)
           from unnest($2::text[], $3::text[]) with ordinality as t(text, language, ord)`,
          [product.id, product.aliases.map((a) => a.text), product.aliases.map((a) => a.language)],
        );
      }
    });
  }

  async list(filter: ProductFilter, page: PageRequest): Promise<Page<Product>> {
    const limit = pageLimit(page);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.category) where.push(`p.category = ${param(filter.category.trim().toLowerCase())}`);
    if (filter.activeOnly) where.push('p.active');
    if (filter.search?.trim()) {
      const pattern = param(likePattern(filter.search.trim().toLowerCase()));
      where.push(`(lower(p.sku) like ${pattern} or lower(p.name) like ${pattern}
        or exists (select 1 from product_aliases a where a.product_id = p.id and a.normalized like ${pattern}))`);
    }
    if (page.cursor) {
      if (page.cursor.length > 40) throw new ValidationError('invalid cursor', { cursor: page.cursor });
      where.push(`p.sku > ${param(page.cursor)}`);
    }
    const sql = `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by p.sku limit ${param(limit + 1)}`;
    const rows = await this.db.rows<ProductRow>(sql, params);
    const items = rows.slice(0, limit).map(toProduct);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? last.sku : null };
  }

  async listActive(): Promise<Product[]> {
    const rows = await this.db.rows<ProductRow>(`${SELECT} where p.active order by p.sku`);
    return rows.map(toProduct);
  }
}

function toProduct(row: ProductRow): Product {
  return {
    id: row.id as ProductId,
    sku: row.sku,
    name: row.name,
    category: row.category,
    baseUnit: row.base_unit as Unit,
    conversions: row.conversions.map((c): UnitConversion => ({ unit: c.unit as Unit, toBase: c.toBase })),
    aliases: row.aliases.map((a) => ({ text: a.text, language: a.language as AliasLanguage })),
    active: row.active,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
