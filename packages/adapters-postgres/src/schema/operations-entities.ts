import { defineEntity, p } from '@mikro-orm/core';

const VERDICTS = ['ALLOW', 'REVIEW', 'BLOCK'] as const;

/*
 * Engine records keep the whole record as typed JSON (`record`, Money and Dates tagged, see
 * json-codec.ts) so the explanation round-trips exactly, plus plain columns for the
 * queries. Their ids point at orders/retailers/vendors without foreign keys: they are
 * audit history and must outlive (and may precede) the rows they mention.
 */

/** Risk rules are data: editable via the API, evaluated by core's engine. */
export const RiskRuleEntity = defineEntity({
  name: 'RiskRule',
  tableName: 'risk_rules',
  properties: {
    id: p.text().primary(),
    type: p.text(),
    action: p.enum(VERDICTS),
    enabled: p.boolean(),
    record: p.json<unknown>(),
    updatedAt: p.datetime(),
  },
});

export const RiskEventEntity = defineEntity({
  name: 'RiskEvent',
  tableName: 'risk_events',
  properties: {
    id: p.uuid().primary(),
    orderId: p.uuid(),
    retailerId: p.uuid(),
    ruleId: p.text(),
    action: p.enum(VERDICTS),
    outcome: p.text(),
    triggered: p.boolean(),
    assessedAt: p.datetime(),
    record: p.json<unknown>(),
  },
  indexes: [
    { name: 'risk_events_order_idx', properties: ['orderId', 'assessedAt', 'ruleId'] },
    { name: 'risk_events_retailer_idx', properties: ['retailerId', 'assessedAt', 'ruleId'] },
    { name: 'risk_events_triggered_idx', properties: ['assessedAt'], where: 'triggered' },
  ],
});

export const VendorRatingEntity = defineEntity({
  name: 'VendorRating',
  tableName: 'vendor_ratings',
  properties: {
    id: p.uuid().primary(),
    vendorId: p.uuid(),
    retailerId: p.uuid(),
    orderId: p.uuid().unique('vendor_ratings_order_key'),
    rating: p.smallint(),
    comment: p.text().nullable(),
    ratedAt: p.datetime(),
  },
  checks: [{ name: 'vendor_ratings_rating_check', expression: '((rating >= 1) AND (rating <= 5))' }],
  indexes: [{ name: 'vendor_ratings_vendor_rated_idx', properties: ['vendorId', 'ratedAt'] }],
});

/*
 * Engine snapshots: the current output of the performance / pricing engine per subject,
 * replaced by each refresh (core's RefreshVendorPerformance / RefreshPriceIntelligence).
 * No foreign keys, as for the records above.
 */
export const VendorPerformanceSnapshotEntity = defineEntity({
  name: 'VendorPerformanceSnapshot',
  tableName: 'vendor_performance_snapshots',
  properties: {
    vendorId: p.uuid().primary(),
    fingerprint: p.text(),
    version: p.integer(),
    computedAt: p.datetime(),
    checkedAt: p.datetime(),
    /** The report with its reliability score also as a column, for reports that sort by it. */
    reliability: p.double().nullable(),
    record: p.json<unknown>(),
  },
});

export const PriceIntelligenceSnapshotEntity = defineEntity({
  name: 'PriceIntelligenceSnapshot',
  tableName: 'price_intelligence_snapshots',
  properties: {
    productId: p.uuid().primary(),
    fingerprint: p.text(),
    version: p.integer(),
    computedAt: p.datetime(),
    checkedAt: p.datetime(),
    trend: p.text(),
    alertCount: p.integer(),
    record: p.json<unknown>(),
  },
});

export const AlertEntity = defineEntity({
  name: 'Alert',
  tableName: 'alerts',
  properties: {
    id: p.uuid().primary(),
    type: p.text(),
    severity: p.enum(['info', 'warning', 'critical'] as const),
    status: p.enum(['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const),
    message: p.text(),
    details: p.json<unknown>(),
    /** Same key while open = the same alert (cooldown). */
    dedupeKey: p.text().nullable(),
    createdAt: p.datetime(),
    acknowledgedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'alerts_open_idx', properties: ['createdAt'], where: "status <> 'RESOLVED'" },
    { name: 'alerts_dedupe_idx', properties: ['dedupeKey', 'createdAt'] },
  ],
});

const APPEND_ONLY = `raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'check_violation', constraint = 'audit_log_append_only';`;

export const AuditLogEntity = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.uuid().primary(),
    actorType: p.text(),
    actorId: p.text().nullable(),
    actorRole: p.text().nullable(),
    action: p.text(),
    entityType: p.text().nullable(),
    entityId: p.text().nullable(),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
    details: p.json<unknown>(),
    ip: p.text().nullable(),
    requestId: p.text().nullable(),
    at: p.datetime(),
  },
  indexes: [
    { name: 'audit_log_at_idx', properties: ['at'] },
    { name: 'audit_log_entity_idx', properties: ['entityType', 'entityId'] },
    { name: 'audit_log_actor_idx', properties: ['actorType', 'actorId', 'at'] },
    { name: 'audit_log_action_at_idx', properties: ['action', 'at'] },
  ],
  // Append-only, whoever asks: UPDATE and DELETE fail with 23514 on the constraint name
  // `audit_log_append_only`, which the adapter reports as VALIDATION.CONSTRAINT_VIOLATED.
  // TRUNCATE is refused too, by a trigger the migration creates and the schema diff cannot
  // see (information_schema lists no TRUNCATE triggers), so it is not declared here.
  triggers: [
    { name: 'no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: APPEND_ONLY },
  ],
});
