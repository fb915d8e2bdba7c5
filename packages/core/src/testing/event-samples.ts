import { domainEvent, type EventOf, type EventType, EventTypes } from '../events/event-catalog.js';
import type { LedgerEntryId, OrderId, ProductId, RetailerId, VendorId, VendorOfferId } from '../shared/ids.js';

const order = '01900000-0000-7000-8000-000000000001' as OrderId;
const retailerId = '01900000-0000-7000-8000-000000000002' as RetailerId;
const vendorId = '01900000-0000-7000-8000-000000000003' as VendorId;
const productId = '01900000-0000-7000-8000-000000000004' as ProductId;
const offer = '01900000-0000-7000-8000-000000000005' as VendorOfferId;
const entryId = '01900000-0000-7000-8000-000000000006' as LedgerEntryId;
const total = { amount: 480_000, currency: 'NPR' };
const operator = { type: 'operator', id: '01900000-0000-7000-8000-000000000007' } as const;

/**
 * One event of every catalog type, with nested and null values where the payload has
 * them. Keyed by type, so a type added to the catalog without a sample does not compile.
 */
export function oneEventOfEachType(at: Date): { readonly [K in EventType]: EventOf<K> } {
  const credit = { retailerId, currency: 'NPR' };
  return {
    'order.placed': domainEvent(EventTypes.ORDER_PLACED, order, at, {
      number: 'KH-000001',
      retailerId,
      total,
      lines: [
        {
          productId,
          sku: 'WAIWAI-75',
          name: 'वाइवाइ 75g',
          quantity: { value: 2.5, unit: 'carton' },
          unitPrice: { amount: 192_000, currency: 'NPR' },
          priceUnit: 'carton',
          lineTotal: total,
        },
      ],
      source: 'whatsapp',
    }),
    'order.offered': domainEvent(EventTypes.ORDER_OFFERED, order, at, {
      vendorId,
      attempt: 1,
      deadline: new Date(at.getTime() + 600_000).toISOString(),
      manual: true,
      total,
      actor: operator,
    }),
    'order.offer_rejected': domainEvent(EventTypes.ORDER_OFFER_REJECTED, order, at, { vendorId, reason: null }),
    'order.offer_expired': domainEvent(EventTypes.ORDER_OFFER_EXPIRED, order, at, {
      vendorId,
      actor: { type: 'system', id: null },
    }),
    'order.needs_manual_assignment': domainEvent(EventTypes.ORDER_NEEDS_MANUAL_ASSIGNMENT, order, at, {
      attempts: 5,
      reason: '5 vendors did not accept',
    }),
    'order.status_changed': domainEvent(EventTypes.ORDER_STATUS_CHANGED, order, at, {
      from: 'ROUTING',
      to: 'CONFIRMED',
      transition: 'confirm',
      actor: { type: 'vendor', id: vendorId },
      reason: null,
      retailerId,
      vendorId,
      total,
    }),
    'credit.hold_placed': domainEvent(EventTypes.CREDIT_HOLD_PLACED, retailerId, at, {
      ...credit,
      orderId: order,
      amount: 480_000,
    }),
    'credit.hold_released': domainEvent(EventTypes.CREDIT_HOLD_RELEASED, retailerId, at, {
      ...credit,
      orderId: order,
      amount: 480_000,
    }),
    'credit.invoice_issued': domainEvent(EventTypes.CREDIT_INVOICE_ISSUED, retailerId, at, {
      ...credit,
      orderId: order,
      entryId,
      amount: 480_000,
      dueAt: new Date(at.getTime() + 15 * 86_400_000).toISOString(),
    }),
    'credit.payment_recorded': domainEvent(EventTypes.CREDIT_PAYMENT_RECORDED, retailerId, at, {
      ...credit,
      entryId,
      amount: 480_000,
      reference: 'esewa-123',
      settledOrderIds: [order],
    }),
    'credit.adjusted': domainEvent(EventTypes.CREDIT_ADJUSTED, retailerId, at, {
      ...credit,
      entryId,
      amount: -5_000,
      note: 'damaged carton',
      reference: null,
      settledOrderIds: [],
    }),
    'credit.limit_changed': domainEvent(EventTypes.CREDIT_LIMIT_CHANGED, retailerId, at, {
      ...credit,
      previous: 5_000_000,
      limit: 7_500_000,
      reason: 'agreed by phone',
      manual: true,
      actor: operator,
    }),
    'credit.limit_overridden': domainEvent(EventTypes.CREDIT_LIMIT_OVERRIDDEN, retailerId, at, {
      retailerId,
      orderId: order,
      amount: 2_500_000,
      available: 1_000_000,
      currency: 'NPR',
      reason: 'pays on Friday, agreed by phone',
      actor: operator,
    }),
    'credit.limit_released_to_scoring': domainEvent(EventTypes.CREDIT_LIMIT_RELEASED_TO_SCORING, retailerId, at, {
      retailerId,
      actor: operator,
    }),
    'credit.terms_changed': domainEvent(EventTypes.CREDIT_TERMS_CHANGED, retailerId, at, {
      retailerId,
      previous: 15,
      netTermsDays: 30,
    }),
    'credit.score_calculated': domainEvent(EventTypes.CREDIT_SCORE_CALCULATED, retailerId, at, {
      retailerId,
      score: 712,
      band: 'B',
      trigger: 'PAYMENT',
      recommendedLimit: 6_000_000,
      limitRule: 'GRADUAL_INCREASE',
      limitApplied: false,
      manualLimitKept: true,
    }),
    'retailer.registered': domainEvent(EventTypes.RETAILER_REGISTERED, retailerId, at, {
      area: 'kathmandu-10',
      status: 'PENDING_KYC',
      creditLimit: 5_000_000,
      actorType: 'operator',
    }),
    'retailer.approved': domainEvent(EventTypes.RETAILER_APPROVED, retailerId, at, {
      from: 'PENDING_KYC',
      to: 'ACTIVE',
      reason: 'citizenship and PAN checked',
      actor: operator,
    }),
    'retailer.suspended': domainEvent(EventTypes.RETAILER_SUSPENDED, retailerId, at, {
      from: 'ACTIVE',
      to: 'SUSPENDED',
      reason: 'cheque bounced twice',
      actor: operator,
    }),
    'vendor.registered': domainEvent(EventTypes.VENDOR_REGISTERED, vendorId, at, {
      serviceAreas: ['kathmandu-10', 'lalitpur-3'],
      dailyCapacity: 40,
    }),
    'product.created': domainEvent(EventTypes.PRODUCT_CREATED, productId, at, { sku: 'WAIWAI-75' }),
    'product.updated': domainEvent(EventTypes.PRODUCT_UPDATED, productId, at, { sku: 'WAIWAI-75' }),
    'offer.price_changed': domainEvent(EventTypes.OFFER_PRICE_CHANGED, offer, at, {
      vendorId,
      productId,
      unit: 'carton',
      price: 192_000,
      previousPrice: null,
      stockOnHand: 12,
    }),
    'offer.updated': domainEvent(EventTypes.OFFER_UPDATED, offer, at, {
      vendorId,
      productId,
      unit: 'carton',
      price: 192_000,
      previousPrice: 190_000,
      stockOnHand: 0,
    }),
    'risk.rule_saved': domainEvent(EventTypes.RISK_RULE_SAVED, 'max-order-value', at, {
      ruleId: 'max-order-value',
      ruleType: 'MAX_ORDER_VALUE',
      action: 'REVIEW',
      enabled: true,
      created: false,
      actor: operator,
    }),
    'order.delivery_code_issued': domainEvent(EventTypes.ORDER_DELIVERY_CODE_ISSUED, order, at, {
      retailerId,
      vendorId,
    }),
    'order.delivery_disputed': domainEvent(EventTypes.ORDER_DELIVERY_DISPUTED, order, at, {
      retailerId,
      vendorId,
      reason: 'NO_CODE',
      actor: { type: 'vendor', id: vendorId },
      note: null,
    }),
    'order.delivery_dispute_resolved': domainEvent(EventTypes.ORDER_DELIVERY_DISPUTE_RESOLVED, order, at, {
      retailerId,
      vendorId,
      delivered: false,
      actor: operator,
      note: 'shop never got it',
    }),
    'order.delivery_overridden': domainEvent(EventTypes.ORDER_DELIVERY_OVERRIDDEN, order, at, {
      retailerId,
      vendorId,
      actor: operator,
      reason: 'shop confirmed by phone',
    }),
    'message.send_requested': domainEvent(EventTypes.MESSAGE_SEND_REQUESTED, '+9779812345678', at, {
      message: {
        kind: 'buttons',
        to: '+9779812345678',
        body: 'चामल २ बोरा — रु 4,300',
        buttons: [{ id: `draft:confirm:${order}`, title: 'Confirm' }],
      },
      reason: 'draft-reply',
    }),
  };
}
