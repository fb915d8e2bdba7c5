import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';
import type { UseCaseContext } from './context.js';
import { ALLOW_ALL_RISK_POLICY, type OrderRiskPolicy } from './order-risk-policy.js';
import { ListRiskRules, ManageRiskRules } from './manage-risk-rules.js';
import { ApproveRetailer, SuspendRetailer } from './retailer-status.js';
import { PlaceOrder } from './place-order.js';
import { RateVendor } from './rate-vendor.js';
import { GetVendorRankings } from './vendor-rankings.js';
import { RecalculateCreditScore } from './recalculate-credit-score.js';
import { SetCreditLimit } from './set-credit-limit.js';
import { RouteOrder } from './route-order.js';
import { RuleBasedRiskPolicy } from './rule-based-risk-policy.js';
import { GetCreditBalance, GetCreditStatement, GetOrder, ListOrders } from './queries.js';
import { GetProduct, ListProducts, ListVendorOffers } from './catalog-queries.js';
import { ListInvoicesToRemind } from './reminder-queries.js';
import { ListOverdueAccounts, ListRetailers } from './retailer-queries.js';
import { AdjustCredit, RecordPayment } from './record-payment.js';
import { RegisterRetailer, RegisterVendor } from './register-parties.js';
import { ReviewHeldOrder } from './review-order.js';
import { ListHeldOrders } from './held-orders.js';
import { ApproveOnboardingRequest, ListOnboardingRequests, RejectOnboardingRequest } from './onboarding.js';
import { CancelOrder, DeliverOrder, DispatchOrder } from './fulfilment.js';
import { ListDeliveryDisputes, ReportDeliveryNotReceived, ResolveDeliveryDispute } from './delivery-disputes.js';
import { UpsertProduct, UpsertVendorOffer } from './upsert-catalog.js';
import { UpdateOfferFromMessage } from './offer-from-message.js';
import { GetCreditScore, ListCreditScoreHistory, ListRoutingDecisions, SetNetTerms } from './engine-queries.js';
import { GetProductBySku } from './product-by-sku.js';
import {
  ExportCreditSummary,
  ExportOutstandingLiability,
  ExportPaymentDiscipline,
  ExportPurchaseVolume,
  GetCreditAnalytics,
  GetCreditPosition,
  GetFinancialSummary,
  GetSalesTrend,
} from './financial-reports.js';
import { AssessOrderRisk, ListRiskEvents } from './risk-queries.js';
import { ErasePersonalData, ExportPersonalData } from '../privacy/personal-data.js';
import { AcceptVendorOffer, ExpireOverdueOffers, OfferOrderToVendor, RejectVendorOffer } from './vendor-offers.js';
import {
  GetPriceIntelligence,
  GetVendorPerformance,
  RefreshPriceIntelligence,
  RefreshVendorPerformance,
} from './engine-snapshots.js';

export interface UseCaseOptions {
  /** The risk policy of `placeOrder`: allow everything (default), the stored rules (`'rules'`), or your own. */
  readonly risk?: OrderRiskPolicy | 'rules';
}

/**
 * Every use case over one context, keyed by its class name in camelCase: what a service
 * builds once at startup (the test world builds the same object over in-memory adapters).
 */
export function createUseCases(ctx: UseCaseContext, options: UseCaseOptions = {}) {
  return {
    registerRetailer: new RegisterRetailer(ctx),
    registerVendor: new RegisterVendor(ctx),
    approveRetailer: new ApproveRetailer(ctx),
    suspendRetailer: new SuspendRetailer(ctx),
    upsertProduct: new UpsertProduct(ctx),
    upsertVendorOffer: new UpsertVendorOffer(ctx),
    updateOfferFromMessage: new UpdateOfferFromMessage(ctx),
    placeOrder: new PlaceOrder(
      ctx,
      options.risk === 'rules' ? new RuleBasedRiskPolicy(ctx.ids) : (options.risk ?? ALLOW_ALL_RISK_POLICY),
    ),
    routeOrder: new RouteOrder(ctx),
    offerOrderToVendor: new OfferOrderToVendor(ctx),
    acceptVendorOffer: new AcceptVendorOffer(ctx),
    rejectVendorOffer: new RejectVendorOffer(ctx),
    expireOverdueOffers: new ExpireOverdueOffers(ctx),
    reviewHeldOrder: new ReviewHeldOrder(ctx),
    listHeldOrders: new ListHeldOrders(ctx),
    listOnboardingRequests: new ListOnboardingRequests(ctx),
    approveOnboardingRequest: new ApproveOnboardingRequest(ctx),
    rejectOnboardingRequest: new RejectOnboardingRequest(ctx),
    dispatchOrder: new DispatchOrder(ctx),
    deliverOrder: new DeliverOrder(ctx),
    cancelOrder: new CancelOrder(ctx),
    reportDeliveryNotReceived: new ReportDeliveryNotReceived(ctx),
    resolveDeliveryDispute: new ResolveDeliveryDispute(ctx),
    listDeliveryDisputes: new ListDeliveryDisputes(ctx),
    recordPayment: new RecordPayment(ctx),
    adjustCredit: new AdjustCredit(ctx),
    setCreditLimit: new SetCreditLimit(ctx),
    recalculateCreditScore: new RecalculateCreditScore(ctx),
    rateVendor: new RateVendor(ctx),
    manageRiskRules: new ManageRiskRules(ctx),
    listRiskRules: new ListRiskRules(ctx),
    getOrder: new GetOrder(ctx),
    listOrders: new ListOrders(ctx),
    getCreditStatement: new GetCreditStatement(ctx),
    getCreditBalance: new GetCreditBalance(ctx),
    listProducts: new ListProducts(ctx),
    getProduct: new GetProduct(ctx),
    listVendorOffers: new ListVendorOffers(ctx),
    listRetailers: new ListRetailers(ctx),
    listOverdueAccounts: new ListOverdueAccounts(ctx),
    listInvoicesToRemind: new ListInvoicesToRemind(ctx),
    listRoutingDecisions: new ListRoutingDecisions(ctx),
    getCreditScore: new GetCreditScore(ctx),
    listCreditScoreHistory: new ListCreditScoreHistory(ctx),
    setNetTerms: new SetNetTerms(ctx),
    getProductBySku: new GetProductBySku(ctx),
    assessOrderRisk: new AssessOrderRisk(ctx),
    listRiskEvents: new ListRiskEvents(ctx),
    refreshVendorPerformance: new RefreshVendorPerformance(ctx),
    refreshPriceIntelligence: new RefreshPriceIntelligence(ctx),
    getVendorPerformance: new GetVendorPerformance(ctx),
    getPriceIntelligence: new GetPriceIntelligence(ctx),
    getVendorRankings: new GetVendorRankings(ctx),
    exportCreditSummary: new ExportCreditSummary(ctx),
    exportOutstandingLiability: new ExportOutstandingLiability(ctx),
    exportPaymentDiscipline: new ExportPaymentDiscipline(ctx),
    exportPurchaseVolume: new ExportPurchaseVolume(ctx),
    getFinancialSummary: new GetFinancialSummary(ctx),
    getSalesTrend: new GetSalesTrend(ctx),
    getCreditPosition: new GetCreditPosition(ctx),
    getCreditAnalytics: new GetCreditAnalytics(ctx),
    exportPersonalData: new ExportPersonalData(ctx),
    erasePersonalData: new ErasePersonalData(ctx),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;

/** Every use case at once: what `createUseCases` returns. */
export const USE_CASES: Token<UseCases> = token('UseCases');

/**
 * One token per use case, `Symbol.for('khaacho.<ClassName>')`, keyed like `UseCases`.
 * They live here, beside `createUseCases`, rather than in each use case's file: this map's
 * type makes a use case without a token (or a token without a use case) a compile error,
 * and a composition root binds them all in one loop.
 */
export const USE_CASE_TOKENS: TokenMap<UseCases> = tokenMap<UseCases>({
  registerRetailer: 'RegisterRetailer',
  registerVendor: 'RegisterVendor',
  approveRetailer: 'ApproveRetailer',
  suspendRetailer: 'SuspendRetailer',
  upsertProduct: 'UpsertProduct',
  upsertVendorOffer: 'UpsertVendorOffer',
  updateOfferFromMessage: 'UpdateOfferFromMessage',
  placeOrder: 'PlaceOrder',
  routeOrder: 'RouteOrder',
  offerOrderToVendor: 'OfferOrderToVendor',
  acceptVendorOffer: 'AcceptVendorOffer',
  rejectVendorOffer: 'RejectVendorOffer',
  expireOverdueOffers: 'ExpireOverdueOffers',
  reviewHeldOrder: 'ReviewHeldOrder',
  listHeldOrders: 'ListHeldOrders',
  listOnboardingRequests: 'ListOnboardingRequests',
  approveOnboardingRequest: 'ApproveOnboardingRequest',
  rejectOnboardingRequest: 'RejectOnboardingRequest',
  dispatchOrder: 'DispatchOrder',
  deliverOrder: 'DeliverOrder',
  cancelOrder: 'CancelOrder',
  reportDeliveryNotReceived: 'ReportDeliveryNotReceived',
  resolveDeliveryDispute: 'ResolveDeliveryDispute',
  listDeliveryDisputes: 'ListDeliveryDisputes',
  recordPayment: 'RecordPayment',
  adjustCredit: 'AdjustCredit',
  setCreditLimit: 'SetCreditLimit',
  recalculateCreditScore: 'RecalculateCreditScore',
  rateVendor: 'RateVendor',
  manageRiskRules: 'ManageRiskRules',
  listRiskRules: 'ListRiskRules',
  getOrder: 'GetOrder',
  listOrders: 'ListOrders',
  getCreditStatement: 'GetCreditStatement',
  getCreditBalance: 'GetCreditBalance',
  listProducts: 'ListProducts',
  getProduct: 'GetProduct',
  listVendorOffers: 'ListVendorOffers',
  listRetailers: 'ListRetailers',
  listOverdueAccounts: 'ListOverdueAccounts',
  listInvoicesToRemind: 'ListInvoicesToRemind',
  listRoutingDecisions: 'ListRoutingDecisions',
  getCreditScore: 'GetCreditScore',
  listCreditScoreHistory: 'ListCreditScoreHistory',
  setNetTerms: 'SetNetTerms',
  getProductBySku: 'GetProductBySku',
  assessOrderRisk: 'AssessOrderRisk',
  listRiskEvents: 'ListRiskEvents',
  refreshVendorPerformance: 'RefreshVendorPerformance',
  refreshPriceIntelligence: 'RefreshPriceIntelligence',
  getVendorPerformance: 'GetVendorPerformance',
  getPriceIntelligence: 'GetPriceIntelligence',
  getVendorRankings: 'GetVendorRankings',
  exportCreditSummary: 'ExportCreditSummary',
  exportOutstandingLiability: 'ExportOutstandingLiability',
  exportPaymentDiscipline: 'ExportPaymentDiscipline',
  exportPurchaseVolume: 'ExportPurchaseVolume',
  getFinancialSummary: 'GetFinancialSummary',
  getSalesTrend: 'GetSalesTrend',
  getCreditPosition: 'GetCreditPosition',
  getCreditAnalytics: 'GetCreditAnalytics',
  exportPersonalData: 'ExportPersonalData',
  erasePersonalData: 'ErasePersonalData',
});
