import { defineEntity, p } from '@mikro-orm/core';
import { UNITS } from '@khaacho/core';
import { VendorEntity } from './party-entities.js';

/*
 * Table definitions only: repositories talk SQL to these tables and map rows to core's
 * domain objects themselves, so no ORM entity ever leaves the package.
 */

export const ProductEntity = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.uuid().primary(),
    sku: p.text().unique('products_sku_key'),
    name: p.text(),
    category: p.text(),
    baseUnit: p.enum(UNITS),
    /** [{ unit, toBase }]: small, always read with the product. */
    conversions: p.json<unknown>(),
    active: p.boolean(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    { name: 'products_category_sku_idx', properties: ['category', 'sku'] },
    { name: 'products_active_sku_idx', properties: ['sku'], where: 'active' },
  ],
});

export const ProductAliasEntity = defineEntity({
  name: 'ProductAlias',
  tableName: 'product_aliases',
  properties: {
    product: () => p.manyToOne(ProductEntity).primary().deleteRule('cascade'),
    position: p.smallint().primary(),
    text: p.text(),
    language: p.enum(['en', 'ne', 'ne-Latn'] as const),
    /** Lower-cased text: what catalog search and the parser's index match on. */
    normalized: p.text().index('product_aliases_normalized_idx'),
  },
});

export const VendorOfferEntity = defineEntity({
  name: 'VendorOffer',
  tableName: 'vendor_offers',
  properties: {
    id: p.uuid().primary(),
    vendor: () => p.manyToOne(VendorEntity),
    product: () => p.manyToOne(ProductEntity).index('vendor_offers_product_id_idx'),
    unit: p.enum(UNITS),
    unitPrice: p.bigint('number'),
    currency: p.string().length(3),
    stockOnHand: p.decimal('number').precision(14).scale(3),
    minOrderQty: p.decimal('number').precision(14).scale(3),
    leadTimeHours: p.decimal('number').precision(10).scale(2),
    active: p.boolean(),
    updatedAt: p.datetime(),
  },
  uniques: [{ name: 'vendor_offers_vendor_product_key', properties: ['vendor', 'product'] }],
  indexes: [{ name: 'vendor_offers_active_product_idx', properties: ['product', 'vendor'], where: 'active' }],
  checks: [
    {
      name: 'vendor_offers_quantities_check',
      expression: '("stock_on_hand" >= 0) and ("min_order_qty" >= 0) and ("lead_time_hours" >= 0)',
    },
  ],
});

export const PriceHistoryEntity = defineEntity({
  name: 'PriceHistory',
  tableName: 'price_history',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    vendor: () => p.manyToOne(VendorEntity).index('price_history_vendor_id_idx'),
    product: () => p.manyToOne(ProductEntity),
    unit: p.enum(UNITS),
    previousPrice: p.bigint('number').nullable(),
    price: p.bigint('number'),
    currency: p.string().length(3),
    changedAt: p.datetime(),
  },
  indexes: [{ name: 'price_history_product_changed_idx', properties: ['product', 'changedAt'] }],
});
