import { defineEntity, p } from '@mikro-orm/core';
import { DRAFT_STATUSES } from '@khaacho/core';
import { ProductEntity } from './catalog-entities.js';
import { OrderEntity } from './order-entities.js';
import { RetailerEntity } from './party-entities.js';

/** The catalog's designated product for a generic word (core's CatalogDefaultRepository). */
export const CatalogDefaultEntity = defineEntity({
  name: 'CatalogDefault',
  tableName: 'catalog_defaults',
  properties: {
    /** Lower case, single spaces: what the parser looks a generic word up by. */
    mention: p.text().primary(),
    product: () => p.manyToOne(ProductEntity).deleteRule('cascade').index('catalog_defaults_product_id_idx'),
  },
});

/**
 * Priced drafts awaiting a shop's confirmation (core's OrderDraftRepository). The lines and
 * questions are one JSON body: a draft is read whole and never queried by its lines.
 */
export const OrderDraftEntity = defineEntity({
  name: 'OrderDraft',
  tableName: 'order_drafts',
  properties: {
    id: p.uuid().primary(),
    retailer: () => p.manyToOne(RetailerEntity).index('order_drafts_retailer_id_idx'),
    status: p.enum(DRAFT_STATUSES),
    totalAmount: p.bigint('number'),
    currency: p.string().length(3),
    body: p.json<unknown>(),
    /** The CREDIT_LIMIT-held order a reduced draft ("order what fits") replaces. */
    replacesOrder: () => p.manyToOne(OrderEntity).nullable(),
    /** The order confirming it placed: one draft, one order. */
    order: () => p.manyToOne(OrderEntity).nullable().unique('order_drafts_order_id_key'),
    supersededBy: p.uuid().nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    /** The inbound message the draft answers: answered again after a crash, it finds this draft. */
    requestKey: p.text().nullable(),
  },
  indexes: [{ name: 'order_drafts_expires_idx', properties: ['expiresAt'], where: "status <> 'CONFIRMED'" }],
  uniques: [{ name: 'order_drafts_retailer_id_request_key_key', properties: ['retailer', 'requestKey'] }],
});
