import { defineEntity, p } from '@mikro-orm/core';
import { DELIVERY_DISPUTE_REASONS, DELIVERY_PROOF_STATUSES } from '@khaacho/core';
import { OrderEntity } from './order-entities.js';
import { RetailerEntity, VendorEntity } from './party-entities.js';

/**
 * Proof of delivery, one row per dispatched order (core's DeliveryProofRepository). The code is
 * stored in clear and erased when the delivery is settled: see `DeliveryProofSnapshot.code`.
 */
export const DeliveryProofEntity = defineEntity({
  name: 'DeliveryProof',
  tableName: 'delivery_proofs',
  properties: {
    order: () => p.manyToOne(OrderEntity).primary().deleteRule('cascade'),
    retailer: () => p.manyToOne(RetailerEntity).index('delivery_proofs_retailer_id_idx'),
    vendor: () => p.manyToOne(VendorEntity).index('delivery_proofs_vendor_id_idx'),
    code: p.string().length(4).nullable(),
    status: p.enum(DELIVERY_PROOF_STATUSES),
    failedAttempts: p.smallint(),
    issuedAt: p.datetime(),
    confirmedAs: p.enum(['CODE', 'OVERRIDE', 'DISPUTE'] as const).nullable(),
    delivered: p.boolean().nullable(),
    disputeReason: p.enum(DELIVERY_DISPUTE_REASONS).nullable(),
    disputedAt: p.datetime().nullable(),
    disputedBy: p.json<unknown>().nullable(),
    disputeNote: p.text().nullable(),
    settledAt: p.datetime().nullable(),
    settledBy: p.json<unknown>().nullable(),
    settlementNote: p.text().nullable(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
  indexes: [
    { name: 'delivery_proofs_disputed_idx', properties: ['disputedAt', 'order'], where: "status = 'DISPUTED'" },
  ],
});
