import {
  AUTH_USE_CASES,
  type OrderId,
  REPOSITORIES,
  type RetailerId,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../testing/test-app.js';
import { API_ROUTES } from './api-routes.js';

type Who = keyof Shop['tokens'];
const WHO: readonly Who[] = ['admin', 'operator', 'retailer', 'otherRetailer', 'vendor', 'otherVendor'];

/**
 * Every route × every caller → the status expected, on an order placed by `retailer` and
 * offered to `vendor` (whichever of the two vendors routing chose). "other…" callers are a
 * party that does not own it. A route added without a row fails the first test.
 */
interface Target {
  /** A fresh order of `retailer`, offered to `vendor`. */
  readonly order: string;
  readonly productId: string;
  /** `vendor`'s own id. */
  readonly vendorId: string;
  readonly retailerId: string;
  /** A fresh order of `retailer` that `vendor` accepted (CONFIRMED), and one it dispatched. */
  readonly confirmed: string;
  readonly dispatched: string;
  /** The delivery code the shop was sent for `dispatched`. */
  readonly dispatchedCode: string;
  /** A fresh self-registered account, PENDING_APPROVAL. */
  readonly pendingUser: string;
}

const ABSENT_RETAILER = '0190a000-0000-7000-8000-00000000dead';
const HELD_ORDER_ROWS = new Set([
  'dispatchOrder',
  'deliverOrder',
  'reportDeliveryNotReceived',
  'resolveDeliveryDispute',
]);
const STAFF_ONLY = { retailer: 403, otherRetailer: 403, vendor: 403, otherVendor: 403 } as const;
const OWN_FIGURES = {
  admin: 200,
  operator: 200,
  retailer: 200,
  otherRetailer: 404,
  vendor: 403,
  otherVendor: 403,
} as const;

/** `anonymous`: the status without a token (default 401; the public /auth routes answer as for anyone). */
type Row = { call: (t: Target) => [string, string, unknown?]; expect: Record<Who, number>; anonymous?: number };

const every = (status: number): Record<Who, number> =>
  Object.fromEntries(WHO.map((who) => [who, status])) as Record<Who, number>;
let registrations = 0;
// A new unknown identifier per call: core locks one after repeated failures (429), not what this is about.
const ghost = () => ({ identifier: `ghost-${++registrations}@example.com`, password: 'not the password' });

const TABLE: Readonly<Record<string, Row>> = {
  placeOrder: {
    call: () => ['POST', '/api/v1/orders', { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] }],
    // Staff must name the retailer (422 here, without one); vendors may not order.
    expect: { admin: 422, operator: 422, retailer: 201, otherRetailer: 201, vendor: 403, otherVendor: 403 },
  },
  listOrders: {
    call: () => ['GET', '/api/v1/orders'],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  getOrder: {
    call: (t) => ['GET', `/api/v1/orders/${t.order}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 200, otherVendor: 404 },
  },
  getOrderTimeline: {
    call: (t) => ['GET', `/api/v1/orders/${t.order}/timeline`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 200, otherVendor: 404 },
  },
  cancelOrder: {
    // Each caller gets a fresh order, so one's cancel does not change the next one's answer.
    call: (t) => ['POST', `/api/v1/orders/${t.order}/cancel`, { reason: 'changed my mind' }],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  listProducts: {
    call: () => ['GET', '/api/v1/products'],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  getProduct: {
    call: (t) => ['GET', `/api/v1/products/${t.productId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  listProductOffers: {
    call: (t) => ['GET', `/api/v1/products/${t.productId}/offers`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  listVendorOffers: {
    // A vendor's own catalog: another vendor is told it does not exist; retailers may not list it.
    call: (t) => ['GET', `/api/v1/vendors/${t.vendorId}/offers`],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  getCreditBalance: {
    call: (t) => ['GET', `/api/v1/credit/balance?retailerId=${t.retailerId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  // Lifecycle and routing: staff run routing; the vendor answers its own offer and fulfils what it holds.
  routeOrder: {
    // An offer is waiting, so routing skips it (200 SKIPPED).
    call: (t) => ['POST', `/api/v1/orders/${t.order}/route`],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  listRoutingDecisions: {
    call: (t) => ['GET', `/api/v1/orders/${t.order}/routing-decisions`],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  assignOrder: {
    // The order is already offered: assigning now is a conflict, for staff; no one else may try.
    call: (t) => ['POST', `/api/v1/orders/${t.order}/assign`, { vendorId: t.vendorId }],
    expect: { ...STAFF_ONLY, admin: 409, operator: 409 },
  },
  acceptOffer: {
    call: (t) => ['POST', `/api/v1/orders/${t.order}/accept`],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  rejectOffer: {
    call: (t) => ['POST', `/api/v1/orders/${t.order}/reject`, { reason: 'out of stock' }],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  dispatchOrder: {
    call: (t) => ['POST', `/api/v1/orders/${t.confirmed}/dispatch`],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  deliverOrder: {
    call: (t) => ['POST', `/api/v1/orders/${t.dispatched}/deliver`, { code: t.dispatchedCode }],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  // Proof of delivery: the shop disputes its own dispatched order; staff list and decide disputes.
  reportDeliveryNotReceived: {
    call: (t) => ['POST', `/api/v1/orders/${t.dispatched}/delivery/not-received`, { note: 'nothing came' }],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  resolveDeliveryDispute: {
    // Not in dispute: 409 shows the role got through.
    call: (t) => ['POST', `/api/v1/orders/${t.dispatched}/delivery/resolve`, { delivered: true, reason: 'checked' }],
    expect: { ...STAFF_ONLY, admin: 409, operator: 409 },
  },
  listDeliveryDisputes: {
    call: () => ['GET', '/api/v1/deliveries/disputes'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  // Credit: a retailer reads its own; staff write.
  getCreditStatement: {
    call: (t) => ['GET', `/api/v1/credit/statement?retailerId=${t.retailerId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  recordPayment: {
    call: (t) => ['POST', '/api/v1/credit/payments', { retailerId: t.retailerId, amount: 100, reference: t.order }],
    expect: { ...STAFF_ONLY, admin: 201, operator: 201 },
  },
  issueCreditNote: {
    call: (t) => [
      'POST',
      '/api/v1/credit/notes',
      { retailerId: t.retailerId, kind: 'CREDIT_NOTE', amount: 100, reference: t.order, note: 'damaged cartons' },
    ],
    expect: { ...STAFF_ONLY, admin: 201, operator: 201 },
  },
  setCreditLimit: {
    call: (t) => ['PUT', '/api/v1/credit/limit', { retailerId: t.retailerId, limit: 50_000_000, reason: 'review' }],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  setNetTerms: {
    call: (t) => ['PUT', '/api/v1/credit/terms', { retailerId: t.retailerId, netTermsDays: 30 }],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  // Scoring (the retailer is scored once before the table runs).
  getCreditScore: {
    call: (t) => ['GET', `/api/v1/credit/score?retailerId=${t.retailerId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  recalculateCreditScore: {
    call: (t) => ['POST', '/api/v1/credit/score/recalculate', { retailerId: t.retailerId }],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  getCreditScoreHistory: {
    call: (t) => ['GET', `/api/v1/credit/score/history?retailerId=${t.retailerId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  // Catalog writes: staff curate products; a vendor writes its own offers.
  createProduct: {
    call: (t) => [
      'POST',
      '/api/v1/products',
      { sku: `P-${t.order.slice(-12).toUpperCase()}`, name: 'Basmati Rice 25kg', category: 'rice', baseUnit: 'kg' },
    ],
    expect: { ...STAFF_ONLY, admin: 201, operator: 201 },
  },
  updateProduct: {
    call: (t) => [
      'PUT',
      `/api/v1/products/${t.productId}`,
      {
        name: 'Wai Wai Noodles 75g',
        category: 'noodles',
        baseUnit: 'packet',
        conversions: [{ unit: 'carton', toBase: 30 }],
      },
    ],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  createVendorOffer: {
    // The offer exists already (200, updated); another vendor's catalog is 404.
    call: (t) => [
      'POST',
      `/api/v1/vendors/${t.vendorId}/offers`,
      { productId: t.productId, unit: 'packet', unitPrice: 2_000, stockOnHand: 100_000 },
    ],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  updateVendorOffer: {
    call: (t) => [
      'PUT',
      `/api/v1/vendors/${t.vendorId}/offers/${t.productId}`,
      { unit: 'packet', unitPrice: 2_000, stockOnHand: 100_000 },
    ],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  importCatalog: {
    // A vendor's offers: the vendor itself or staff naming it; another vendor is told it does not exist.
    call: (t) => [
      'POST',
      '/api/v1/catalog/import',
      { kind: 'offers', vendorId: t.vendorId, csv: 'sku,unit,unit_price,stock_on_hand\nWAIWAI-75,packet,20,100000\n' },
    ],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  // Risk control: staff only.
  assessOrderRisk: {
    call: (t) => ['POST', '/api/v1/risk/assess', { orderId: t.order }],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  listRiskRules: {
    call: () => ['GET', '/api/v1/risk/rules'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  saveRiskRule: {
    call: () => [
      'PUT',
      '/api/v1/risk/rules/score-floor-trial',
      { type: 'SCORE_BELOW', params: { minScore: 300 }, action: 'ALLOW' },
    ],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  listRiskEvents: {
    call: (t) => ['GET', `/api/v1/risk/events?orderId=${t.order}`],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  // The sign-in routes are public: a token changes nothing, the credentials decide.
  register: {
    call: () => {
      const n = String(++registrations).padStart(4, '0');
      return [
        'POST',
        '/api/v1/auth/register',
        {
          role: 'RETAILER',
          phone: `98420${n}0`,
          password: 'a long enough password',
          retailer: { name: `Pasal ${n}`, area: 'kathmandu-10', district: 'kathmandu' },
        },
      ];
    },
    expect: every(201),
    anonymous: 201,
  },
  login: { call: () => ['POST', '/api/v1/auth/login', ghost()], expect: every(401), anonymous: 401 },
  refreshSession: {
    call: () => ['POST', '/api/v1/auth/refresh', { refreshToken: 'not-a-refresh-token' }],
    expect: every(401),
    anonymous: 401,
  },
  logout: {
    call: () => ['POST', '/api/v1/auth/logout', { refreshToken: 'not-a-refresh-token' }],
    expect: every(204),
    anonymous: 204,
  },
  enrolTotp: { call: () => ['POST', '/api/v1/auth/totp/enrol', ghost()], expect: every(401), anonymous: 401 },
  confirmTotp: {
    call: () => ['POST', '/api/v1/auth/totp/confirm', { ...ghost(), code: '123456' }],
    expect: every(401),
    anonymous: 401,
  },
  getMe: { call: () => ['GET', '/api/v1/auth/me'], expect: every(200) },
  listAccounts: {
    call: () => ['GET', '/api/v1/accounts?status=PENDING_APPROVAL'],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  listHeldOrders: {
    call: () => ['GET', '/api/v1/admin/approvals/orders?holdReason=CREDIT_LIMIT'],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  approveHeldOrder: {
    // The target is routing, not held: staff get past the role check to the transition's 409.
    call: (t) => ['POST', `/api/v1/admin/approvals/orders/${t.order}/approve`, { reason: 'pays on Friday' }],
    expect: { ...every(403), admin: 409, operator: 409 },
  },
  rejectHeldOrder: {
    call: (t) => ['POST', `/api/v1/admin/approvals/orders/${t.order}/reject`, { reason: 'over the limit' }],
    expect: { ...every(403), admin: 409, operator: 409 },
  },
  listOnboardingRequests: {
    call: () => ['GET', '/api/v1/admin/approvals/onboarding?status=PENDING'],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  approveOnboardingRequest: {
    call: () => ['POST', `/api/v1/admin/approvals/onboarding/${ABSENT_RETAILER}/approve`, { district: 'kathmandu' }],
    expect: { ...every(403), admin: 404, operator: 404 },
  },
  rejectOnboardingRequest: {
    call: () => ['POST', `/api/v1/admin/approvals/onboarding/${ABSENT_RETAILER}/reject`, { reason: 'not a shop' }],
    expect: { ...every(403), admin: 404, operator: 404 },
  },
  approveAccount: {
    call: (t) => ['POST', `/api/v1/accounts/${t.pendingUser}/approve`, {}],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  rejectAccount: {
    call: (t) => ['POST', `/api/v1/accounts/${t.pendingUser}/reject`, { reason: 'no trade licence' }],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  createStaffUser: {
    call: () => [
      'POST',
      '/api/v1/accounts/staff',
      { role: 'OPERATOR', email: `op-${++registrations}@khaacho.np`, password: 'a long enough password' },
    ],
    expect: { ...every(403), admin: 201 },
  },
  listAuditLog: { call: () => ['GET', '/api/v1/admin/audit-log?limit=5'], expect: { ...every(403), admin: 200 } },
  // Personal data: ADMIN only. The erasure row names a retailer that does not exist (404 for the
  // admin): erasing the shop every later row runs on would change their answers.
  exportPersonalData: {
    call: (t) => ['GET', `/api/v1/admin/retailers/${t.retailerId}/personal-data`],
    expect: { ...every(403), admin: 200 },
  },
  erasePersonalData: {
    call: () => ['POST', `/api/v1/admin/retailers/${ABSENT_RETAILER}/erasure`, { reason: 'asked by the shop' }],
    expect: { ...every(403), admin: 404 },
  },
  // Financial metrics and exports: staff see anyone's, a retailer its own (another's id → 404), vendors none.
  getFinancialSummary: {
    call: (t) => ['GET', `/api/v1/metrics/financial/summary?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  getFinancialTrends: {
    call: (t) => ['GET', `/api/v1/metrics/financial/trends?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  getFinancialSnapshot: {
    call: (t) => ['GET', `/api/v1/metrics/financial/snapshot?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportCreditSummary: {
    call: (t) => ['GET', `/api/v1/exports/credit-summary?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportCreditSummaryCsv: {
    call: (t) => ['GET', `/api/v1/exports/credit-summary.csv?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportPurchaseVolume: {
    call: (t) => ['GET', `/api/v1/exports/purchase-volume?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportPurchaseVolumeCsv: {
    call: (t) => ['GET', `/api/v1/exports/purchase-volume.csv?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportPaymentDiscipline: {
    call: (t) => ['GET', `/api/v1/exports/payment-discipline?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportPaymentDisciplineCsv: {
    call: (t) => ['GET', `/api/v1/exports/payment-discipline.csv?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportOutstandingLiability: {
    call: (t) => ['GET', `/api/v1/exports/outstanding-liability?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  exportOutstandingLiabilityCsv: {
    call: (t) => ['GET', `/api/v1/exports/outstanding-liability.csv?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  }, // Queues and recovery: staff only. The job retried is one nobody enqueued: 404 once authorised.
  getQueueStatus: {
    call: () => ['GET', '/api/v1/queues'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  listQueueJobs: {
    call: () => ['GET', '/api/v1/queues/NOTIFICATIONS/jobs?state=failed'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  retryDeadJob: {
    call: () => ['POST', '/api/v1/queues/NOTIFICATIONS/jobs/never-enqueued/retry'],
    expect: { ...STAFF_ONLY, admin: 404, operator: 404 },
  },
  getRecoveryStatus: {
    call: () => ['GET', '/api/v1/recovery/status'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  retryOrderRouting: {
    // An offer is waiting, so routing skips it (200 SKIPPED).
    call: (t) => ['POST', `/api/v1/recovery/orders/${t.order}/retry`],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  retryWebhookEvent: {
    // An event nobody received: 404 once authorised.
    call: () => ['POST', '/api/v1/recovery/webhooks/00000000-0000-7000-8000-0000000000ee/retry'],
    expect: { ...STAFF_ONLY, admin: 404, operator: 404 },
  },
  listFailedWorkflows: {
    call: () => ['GET', '/api/v1/recovery/failed-workflows'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  // Analytics: the dashboard ranks vendors (staff only); sales and credit as the financial figures.
  getAnalyticsDashboard: {
    call: () => ['GET', '/api/v1/analytics/dashboard'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  getAnalyticsSales: {
    call: (t) => ['GET', `/api/v1/analytics/sales?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  getAnalyticsCredit: {
    call: (t) => ['GET', `/api/v1/analytics/credit?retailerId=${t.retailerId}`],
    expect: OWN_FIGURES,
  },
  // Vendor performance and price intelligence: a vendor reads its own figures; staff rank; the retailer rates.
  getVendorPerformance: {
    call: (t) => ['GET', `/api/v1/vendors/${t.vendorId}/performance`],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  getVendorRankings: {
    call: () => ['GET', '/api/v1/vendors/rankings?metric=acceptanceRate&limit=5'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  rateVendor: {
    // The order is only offered: its retailer is told it is not delivered yet; another retailer, that it does not exist.
    call: (t) => ['POST', `/api/v1/orders/${t.order}/rating`, { rating: 4 }],
    expect: { admin: 403, operator: 403, retailer: 409, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  getPriceIntelligence: {
    call: (t) => ['GET', `/api/v1/products/${t.productId}/price-intelligence`],
    expect: every(200),
  },
  // http-ops: system stats (staff), price alerts across products (staff).
  getSystemStats: {
    call: () => ['GET', '/api/v1/admin/stats'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
  listPriceAlerts: {
    call: () => ['GET', '/api/v1/price-intelligence/alerts?type=ABOVE_MEDIAN&limit=5'],
    expect: { ...STAFF_ONLY, admin: 200, operator: 200 },
  },
};

test('every declared route has a row in the RBAC table, and every row a route', () => {
  assert.equal(Object.keys(TABLE).sort(), API_ROUTES.map((r) => r.operationId).sort());
});

/** A fresh order of `retailer`, routed; the tokens of the vendor offered it and of the other vendor. */
async function offeredOrder(
  app: TestApp,
  shop: Shop,
  held = false,
): Promise<{ target: Target; tokens: Shop['tokens'] }> {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] },
  });
  const id = placed.body.order.id as OrderId;
  const routed = unwrap(
    await app.composition.get(USE_CASE_TOKENS.routeOrder).execute({ orderId: id, actor: SYSTEM_ACTOR }),
  );
  const offeredTo = routed.outcome === 'OFFERED' ? routed.vendorId : null;
  assert.ok(offeredTo, `routing offered the order: ${routed.outcome}, ${placed.body.order.status}`);
  const first = offeredTo === shop.vendorId;
  const hold = async (dispatch: boolean): Promise<string> => {
    const other = await app.request('POST', '/api/v1/orders', {
      token: shop.tokens.retailer,
      body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] },
    });
    const orderId = other.body.order.id as OrderId;
    const actor = { type: 'vendor', id: offeredTo } as const;
    const uc = USE_CASE_TOKENS;
    const get = app.composition.get.bind(app.composition);
    unwrap(await get(uc.offerOrderToVendor).execute({ orderId, vendorId: offeredTo, actor: SYSTEM_ACTOR }));
    unwrap(await get(uc.acceptVendorOffer).execute({ orderId, vendorId: offeredTo, actor }));
    if (dispatch) unwrap(await get(uc.dispatchOrder).execute({ orderId, actor }));
    return orderId;
  };
  const n = String(++registrations).padStart(4, '0');
  const pending = unwrap(
    await app.composition.get(AUTH_USE_CASES).registerAccount.execute({
      role: 'VENDOR',
      phone: `98510${n}9`,
      password: 'a long enough password',
      vendor: { name: `Traders ${n}`, serviceAreas: ['kathmandu-10'], dailyCapacity: 10 },
    }),
  );
  // Only for the rows that use them: every confirmed order counts against the vendor's daily capacity.
  const confirmed = held ? await hold(false) : '';
  const dispatched = held ? await hold(true) : '';
  return {
    target: {
      order: id,
      productId: placed.body.order.lines[0].productId,
      vendorId: offeredTo,
      retailerId: shop.retailerId,
      confirmed,
      dispatched,
      dispatchedCode: dispatched
        ? ((await app.composition.get(REPOSITORIES).deliveries.get(dispatched as OrderId))?.code ?? '')
        : '',
      pendingUser: pending.id,
    },
    tokens: {
      ...shop.tokens,
      vendor: first ? shop.tokens.vendor : shop.tokens.otherVendor,
      otherVendor: first ? shop.tokens.otherVendor : shop.tokens.vendor,
    },
  };
}

test('route × role × own/other resource → the expected status; without a token 401 (public routes: as for anyone)', async () => {
  // ~40 orders of one shop in a second would trip the velocity rule and hold them: not what this is about.
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    unwrap(
      await app.composition
        .get(USE_CASE_TOKENS.recalculateCreditScore)
        .execute({ retailerId: shop.retailerId as RetailerId, trigger: 'ONBOARDING', actor: SYSTEM_ACTOR }),
    );
    const misses: string[] = [];
    for (const route of API_ROUTES) {
      const row = TABLE[route.operationId];
      if (!row) continue;
      for (const who of WHO) {
        const { target, tokens } = await offeredOrder(app, shop, HELD_ORDER_ROWS.has(route.operationId));
        const [method, path, body] = row.call(target);
        const response = await app.request(method, path, {
          token: tokens[who],
          ...(body === undefined ? {} : { body }),
        });
        if (response.status !== row.expect[who]) {
          misses.push(`${route.operationId} as ${who}: ${response.status}, expected ${row.expect[who]}`);
        }
      }
      const { target } = await offeredOrder(app, shop, HELD_ORDER_ROWS.has(route.operationId));
      const [method, path, body] = row.call(target);
      const anonymous = await app.request(method, path, body === undefined ? {} : { body });
      if (anonymous.status !== (row.anonymous ?? 401)) {
        misses.push(`${route.operationId} anonymous: ${anonymous.status}, expected ${row.anonymous ?? 401}`);
      }
    }
    assert.equal(misses, []);
  } finally {
    await app.close();
  }
});

test.run();
