import type { ProductId, Unit, VendorId, VendorOffer, VendorOfferId, VendorOfferRepository } from '@khaacho/core';
import { toDate, toMoney, toNumber } from '../sql/row-values.js';
import type { SqlSession } from '../sql/sql-session.js';
import { prepared } from '../sql/prepared-statements.js';

interface OfferRow {
  id: string;
  vendor_id: string;
  product_id: string;
  unit: string;
  unit_price: unknown;
  currency: string;
  stock_on_hand: unknown;
  min_order_qty: unknown;
  lead_time_hours: unknown;
  active: boolean;
  updated_at: unknown;
}

export class PgVendorOfferRepository implements VendorOfferRepository {
  constructor(private readonly db: SqlSession) {}

  async get(id: VendorOfferId): Promise<VendorOffer | null> {
    const [row] = await this.db.rows<OfferRow>('select * from vendor_offers where id = $1', [id]);
    return row ? toOffer(row) : null;
  }

  async getByVendorAndProduct(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null> {
    const [row] = await this.db.rows<OfferRow>('select * from vendor_offers where vendor_id = $1 and product_id = $2', [
      vendorId,
      productId,
    ]);
    return row ? toOffer(row) : null;
  }

  /**
   * Locks the vendor's row, which exists even before its first offer for the product (a row
   * lock on the offer could not cover that), then reads the offer in a fresh statement, so
   * under READ COMMITTED it sees what the transaction it waited for committed. It
   * serialises a vendor's offer upserts, not its readers.
   */
  async getForUpdate(vendorId: VendorId, productId: ProductId): Promise<VendorOffer | null> {
    await this.db.rows('select 1 from vendors where id = $1 for no key update', [vendorId]);
    return this.getByVendorAndProduct(vendorId, productId);
  }

  async save(offer: VendorOffer): Promise<void> {
    // A second offer for the same (vendor, product) under another id hits the unique key → ConflictError.
    await this.db.run(
      `insert into vendor_offers (id, vendor_id, product_id, unit, unit_price, currency, stock_on_hand,
         min_order_qty, lead_time_hours, active, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (id) do update set unit = excluded.unit, unit_price = excluded.unit_price,
         currency = excluded.currency, stock_on_hand = excluded.stock_on_hand, min_order_qty = excluded.min_order_qty,
         lead_time_hours = excluded.lead_time_hours, active = excluded.active, updated_at = excluded.updated_at`,
      [
        offer.id,
        offer.vendorId,
        offer.productId,
        offer.unit,
        offer.unitPrice.amount,
        offer.unitPrice.currency,
        offer.stockOnHand,
        offer.minOrderQty,
        offer.leadTimeHours,
        offer.active,
        offer.updatedAt,
      ],
    );
  }

  async listActiveForProducts(productIds: readonly ProductId[]): Promise<VendorOffer[]> {
    if (productIds.length === 0) return [];
    const rows = await this.db.rows<OfferRow>(
      prepared(
        `select * from vendor_offers where product_id = any($1::uuid[]) and active order by product_id, vendor_id`,
      ),
      [[...productIds]],
    );
    return rows.map(toOffer);
  }

  async listByVendor(vendorId: VendorId): Promise<VendorOffer[]> {
    const rows = await this.db.rows<OfferRow>('select * from vendor_offers where vendor_id = $1 order by product_id', [
      vendorId,
    ]);
    return rows.map(toOffer);
  }
}

function toOffer(row: OfferRow): VendorOffer {
  return {
    id: row.id as VendorOfferId,
    vendorId: row.vendor_id as VendorId,
    productId: row.product_id as ProductId,
    unit: row.unit as Unit,
    unitPrice: toMoney(row.unit_price, row.currency),
    stockOnHand: toNumber(row.stock_on_hand),
    minOrderQty: toNumber(row.min_order_qty),
    leadTimeHours: toNumber(row.lead_time_hours),
    active: row.active,
    updatedAt: toDate(row.updated_at),
  };
}
