import type { PriceChange, PriceHistoryRepository, ProductId, Unit, VendorId } from '@khaacho/core';
import { toDate, toMoney, toMoneyOrNull } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';

interface PriceRow {
  vendor_id: string;
  product_id: string;
  unit: string;
  previous_price: unknown;
  price: unknown;
  currency: string;
  changed_at: unknown;
}

export class PgPriceHistoryRepository implements PriceHistoryRepository {
  constructor(private readonly db: SqlSession) {}

  async append(change: PriceChange): Promise<void> {
    await this.db.run(
      `insert into price_history (vendor_id, product_id, unit, previous_price, price, currency, changed_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        change.vendorId,
        change.productId,
        change.unit,
        change.previousPrice?.amount ?? null,
        change.price.amount,
        change.price.currency,
        change.changedAt,
      ],
    );
  }

  async listForProduct(productId: ProductId, since: Date): Promise<PriceChange[]> {
    const rows = await this.db.rows<PriceRow>(
      'select * from price_history where product_id = $1 and changed_at >= $2 order by changed_at, id',
      [productId, since],
    );
    return rows.map((r) => ({
      vendorId: r.vendor_id as VendorId,
      productId: r.product_id as ProductId,
      unit: r.unit as Unit,
      previousPrice: toMoneyOrNull(r.previous_price, r.currency),
      price: toMoney(r.price, r.currency),
      changedAt: toDate(r.changed_at),
    }));
  }
}
