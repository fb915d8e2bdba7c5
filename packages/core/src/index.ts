// @khaacho/core — the public API. Named exports only: what is not listed here is internal.

// shared kernel
export {
  type Clock,
  addDays,
  addMs,
  businessDayNumber,
  nepalDayLabel,
  nepalTimeLabel,
  daysBetween,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  CLOCK,
  NEPAL_UTC_OFFSET_MINUTES,
} from './shared/clock.js';
export {
  type Actor,
  type AggregateType,
  type JsonObject,
  type JsonValue,
  SYSTEM_ACTOR,
} from './shared/domain-event.js';
// domain events: one catalog, one union
export {
  type AggregateIds,
  assertNever,
  type DomainEvent,
  domainEvent,
  type EventDefinitions,
  type EventOf,
  type EventPayload,
  type EventType,
  EventTypes,
  isEventType,
  parseDomainEvent,
  type StoredEvent,
} from './events/event-catalog.js';
export {
  AuthenticationError,
  ConcurrencyError,
  ConflictError,
  DomainError,
  type ErrorCode,
  ErrorCodes,
  type ErrorDetails,
  type ErrorKind,
  IllegalStateError,
  InvariantError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from './shared/errors.js';
export {
  distanceKm,
  type GeoPoint,
  geoPoint,
  isStorableLocation,
  normalizeArea,
  optionalLocation,
  storedLocation,
} from './shared/geo.js';
export {
  NAME_MAX_LENGTH,
  NOTE_MAX_LENGTH,
  noteText,
  optionalText,
  REASON_MAX_LENGTH,
  reasonText,
  requireText,
} from './shared/text.js';
export {
  type EventId,
  ID_GENERATOR,
  type Id,
  type IdGenerator,
  isUuid,
  type LedgerEntryId,
  type OrderId,
  type DraftId,
  type ProductId,
  parseId,
  RANDOM_SOURCE,
  type RandomSource,
  type RetailerId,
  type UserId,
  type VendorId,
  type VendorOfferId,
} from './shared/ids.js';
export { type CurrencyCode, DEFAULT_CURRENCY, Money, type MoneyJSON } from './shared/money.js';
export { PhoneNumber } from './shared/phone-number.js';
export { isUnit, Quantity, type QuantityJSON, UNITS, type Unit, type UnitRatio } from './shared/quantity.js';
export { err, ok, type Err, type Ok, type Result } from './shared/result.js';
export { SeededRandom } from './shared/seeded-random.js';
export { UuidV7Generator } from './shared/uuid-v7.js';
export { systemClock, systemIds, systemRandom } from './shared/system-providers.js';
export { type Token, type TokenMap, type TokenType, token, tokenMap } from './shared/token.js';

// catalog and parties
export {
  type AliasLanguage,
  conversionFactor,
  conversionRatio,
  convertQuantity,
  createProduct,
  normalizeSku,
  type Product,
  type ProductAlias,
  type ProductInput,
  type UnitConversion,
  unitsOf,
} from './catalog/product.js';
export {
  createVendorOffer,
  priceChangeOf,
  type PriceChange,
  type VendorOffer,
  type VendorOfferInput,
} from './catalog/vendor-offer.js';
export {
  createRetailer,
  RETAILER_STATUSES,
  type Retailer,
  type RetailerInput,
  type RetailerStatus,
  withRetailerStatus,
} from './parties/retailer.js';
export {
  createUser,
  isActiveUser,
  ROLES,
  type Role,
  SELF_REGISTRATION_ROLES,
  STAFF_ROLES,
  type TotpEnrolment,
  type User,
  type UserInput,
  USER_STATUSES,
  type UserStatus,
  withUserStatus,
} from './parties/user.js';
export * from './auth/index.js';
export {
  collectPersonalData,
  ErasePersonalData,
  type ErasePersonalDataCommand,
  ExportPersonalData,
  type PersonalDataCommand,
  type PersonalDataErasure,
  type PersonalDataExport,
  PRIVACY_AUDIT_ACTIONS,
} from './privacy/personal-data.js';
export {
  ERASED_PASSWORD_HASH,
  isErasedRetailer,
  PERSONAL_DATA_PAGE,
  PERSONAL_DATA_STORES,
  type PersonalDataStore,
  type PersonalDataSubject,
} from './privacy/personal-data-stores.js';
export {
  createVendor,
  servesArea,
  VENDOR_STATUSES,
  type Vendor,
  type VendorInput,
  type VendorStatus,
} from './parties/vendor.js';

// orders
export {
  Order,
  type OrderSnapshot,
  type OrderSource,
  type PlaceOrderProps,
  type StatusLogEntry,
} from './order/order.js';
export {
  type OrderLine,
  type OrderLineJSON,
  orderLine,
  orderLineFromJSON,
  orderLineToJSON,
} from './order/order-line.js';
export { type OrderGuardContext, type OrderTransitionName, orderLifecycle } from './order/order-lifecycle.js';
export {
  isOrderStatus,
  ORDER_STATUSES,
  type OrderStatus,
  PRE_CONFIRMATION_STATUSES,
  HOLD_REASONS,
  type HoldReason,
  isHoldReason,
  countsAgainstCredit,
  TERMINAL_ORDER_STATUSES,
} from './order/order-status.js';
export {
  DEFAULT_OFFER_TIMEOUT_MS,
  MAX_ROUTING_ATTEMPTS,
  type OfferOutcome,
  type RoutingAttempt,
} from './order/routing-attempt.js';
export {
  StateMachine,
  type StateMachineDefinition,
  type TransitionCheck,
  type TransitionDefinition,
  validateDefinition,
} from './order/state-machine.js';

// credit
export { AGING_BUCKETS, type Aging, type AgingBucket, bucketFor, daysPastDue } from './credit/aging.js';
export {
  type ActiveHold,
  CreditAccount,
  type CreditAccountHeader,
  type CreditAccountState,
  type CreditLimitExceeded,
  type SettledDebit,
} from './credit/credit-account.js';
export type { OpenItem } from './credit/open-item.js';
export {
  type DayWindow,
  DEFAULT_REMINDER_RULES,
  dueDayFor,
  MAX_REMINDER_OFFSET_DAYS,
  MAX_REMINDER_RULES,
  MIN_REMINDER_OFFSET_DAYS,
  nepalDateOf,
  nepalDateOfDay,
  nepalDayNumber,
  nepalDayWindow,
  parseReminderRules,
  REMINDER_TEMPLATES,
  type ReminderRule,
  type ReminderTemplate,
  reminderRule,
  reminderRules,
  ruleFiring,
} from './credit/reminder-rules.js';
export { MAX_LEDGER_AMOUNT } from './credit/ledger-bounds.js';
export {
  type Allocation,
  balanceEffect,
  holdEffect,
  LEDGER_ENTRY_TYPES,
  type LedgerEntry,
  type LedgerEntryType,
} from './credit/ledger-entry.js';

// decision engines
export { type ChurnLevel, type ChurnRisk, churnRisk } from './engines/intelligence/churn-risk.js';
export { type CustomerLifetimeValue, customerLifetimeValue } from './engines/intelligence/customer-lifetime-value.js';
export { type DemandEvent, demandEventsFromOrders } from './engines/intelligence/demand-events.js';
export {
  type ConfidenceLevel,
  type DemandForecast,
  type DemandPeriod,
  forecastDemand,
} from './engines/intelligence/demand-forecast.js';
export { type ReorderSuggestion, suggestReorders } from './engines/intelligence/reorder-suggestions.js';
export {
  DEFAULT_PROMISED_LEAD_HOURS,
  type FulfilmentRecord,
  type OfferRecord,
  type PerformanceEvents,
  performanceEventsFromOrders,
} from './engines/performance/performance-events.js';
export {
  computeVendorPerformance,
  rankVendorPerformance,
  reliabilityByVendor,
  VENDOR_RANKING_METRICS,
  type VendorPerformanceInput,
  type VendorPerformanceReport,
  type VendorRanking,
  type VendorRankingMetric,
} from './engines/performance/vendor-performance.js';
export {
  createVendorRating,
  isValidRating,
  type VendorRating,
  type VendorRatingInput,
} from './engines/performance/vendor-rating.js';
export {
  DEFAULT_RELIABILITY_PRIOR,
  platformReliabilityPrior,
  type ReliabilityPrior,
  smoothReliability,
  type VendorReliability,
} from './engines/performance/vendor-reliability.js';
export type { VendorWindowMetrics } from './engines/performance/vendor-window-metrics.js';
export {
  analysePrices,
  type PriceIntelligenceInput,
  type PriceIntelligenceReport,
  type ProductPriceInsight,
} from './engines/pricing/analyse-prices.js';
export { pricePerBaseUnit } from './engines/pricing/base-unit-price.js';
export { marketReference, type MarketReference } from './engines/pricing/market-reference.js';
export type { PriceAlert } from './engines/pricing/price-alerts.js';
export type { DailyClose, PriceTrend, TrendDirection } from './engines/pricing/price-series.js';
export { DEFAULT_PRICING_CONFIG, type PricingConfig } from './engines/pricing/pricing-config.js';
export {
  creditSummaryReport,
  type CreditSummaryRow,
  type LatestScore,
} from './engines/reports/credit-summary-report.js';
export { type DashboardReport, dashboardReport } from './engines/reports/dashboard-report.js';
export {
  type LiabilityRow,
  outstandingLiabilityReport,
  type OutstandingLiabilityReport,
} from './engines/reports/outstanding-liability-report.js';
export { paymentDisciplineReport, type PaymentDisciplineRow } from './engines/reports/payment-discipline-report.js';
export {
  type PurchaseVolumeGrouping,
  purchaseVolumeReport,
  type PurchaseVolumeRow,
} from './engines/reports/purchase-volume-report.js';
export { GMV_STATUSES, type ReportPeriod, reportPeriod } from './engines/reports/report-period.js';
export {
  salesTrendReport,
  type SalesTrendRow,
  type TrendGranularity,
} from './engines/reports/sales-trend-report.js';
export { assessRisk, type RiskAssessment, type RuleOutcome, type RuleVerdict } from './engines/risk/assess-risk.js';
export { defaultRiskRules } from './engines/risk/default-risk-rules.js';
export { parseRiskRule, requireRiskRule, type RiskRuleIssue } from './engines/risk/parse-risk-rule.js';
export { buildRiskContext, type RiskContext, type RiskContextSources } from './engines/risk/risk-context.js';
export { type RiskEvent, riskEventsFromAssessment } from './engines/risk/risk-event.js';
export {
  DEFAULT_REASON_TEMPLATES,
  type MaxOrderValueRule,
  type NewAccountRule,
  type OrderValueVsAverageRule,
  type OverdueRule,
  RISK_ACTIONS,
  RISK_RULE_TYPES,
  RISK_TEMPLATE_VARIABLES,
  type RiskAction,
  type RiskRule,
  type RiskRuleType,
  riskSeverity,
  type ScoreBelowRule,
  type UtilisationRule,
  type VelocityRule,
  worseAction,
} from './engines/risk/risk-rule.js';
export { rankVendors } from './engines/routing/rank-vendors.js';
export {
  type ExcludedVendor,
  ROUTING_EXCLUSION_REASONS,
  type RoutingCandidate,
  type RoutingDecision,
  type RoutingExclusionReason,
  type RoutingFactorScores,
  type UncoveredLine,
} from './engines/routing/routing-decision.js';
export {
  DEFAULT_ROUTING_OPTIONS,
  DEFAULT_ROUTING_WEIGHTS,
  resolveRoutingWeights,
  type RoutingInput,
  type RoutingOptions,
  type RoutingWeights,
} from './engines/routing/routing-input.js';
export {
  type CreditLimitRecommendation,
  type CreditLimitRuleId,
  recommendCreditLimit,
} from './engines/scoring/credit-limit-rule.js';
export {
  buildCreditScoreInput,
  type CreditScoreInput,
  type CreditScoreSources,
} from './engines/scoring/credit-score-input.js';
export { invoiceHistoryFromLedger, type InvoiceRecord } from './engines/scoring/invoice-history.js';
export { type OrderHistorySummary, summariseOrderHistory } from './engines/scoring/order-history-summary.js';
export type { ScoreFactor } from './engines/scoring/score-factors.js';
export { type CreditScoreResult, priorScore, scoreRetailer } from './engines/scoring/score-retailer.js';
export {
  bandFor,
  type CreditBand,
  type CreditLimitConfig,
  DEFAULT_SCORING_CONFIG,
  resolveScoringConfig,
  SCORE_FACTOR_KEYS,
  SCORE_MAX,
  SCORE_MIN,
  type ScoreFactorKey,
  SCORING_MODEL_VERSION,
  type ScoringConfig,
  type ScoringConfigOverrides,
} from './engines/scoring/scoring-config.js';
export {
  type CreditScoreRecord,
  type CreditScoreRepository,
  type CreditScoreTrigger,
  ENGINE_REPOSITORY_TOKENS,
  type EngineRepositories,
  type HistoryQuery,
  type RiskEventRepository,
  type RiskRuleFilter,
  type RiskRuleRepository,
  type RoutingDecisionRecord,
  type RoutingDecisionRepository,
  type VendorRatingRepository,
} from './ports/engine-repositories.js';

// order understanding (local parser)
export { LocalOrderTextParser, type LocalOrderTextParserOptions } from './parsing/local-order-text-parser.js';

// application (use cases)
export { persist, USE_CASE_CONTEXT, type UseCaseContext } from './application/context.js';
export {
  type Failure,
  type FailureCode,
  failureOf,
  type Outcome,
  runUseCase,
  unwrap,
} from './application/outcome.js';
export {
  CancelOrder,
  type CancelOrderCommand,
  DeliverOrder,
  type DeliverOrderCommand,
  DispatchOrder,
  type DispatchOrderCommand,
} from './application/fulfilment.js';
export {
  type DeliveryView,
  deliveryView,
  ListDeliveryDisputes,
  type ListDeliveryDisputesQuery,
  ReportDeliveryNotReceived,
  type ReportDeliveryNotReceivedCommand,
  ResolveDeliveryDispute,
  type ResolveDeliveryDisputeCommand,
} from './application/delivery-disputes.js';
export {
  type OfferMessageRejection,
  type OfferUpdatedFromMessage,
  PRICE_CONFIRM_FACTOR,
  UpdateOfferFromMessage,
  type UpdateOfferFromMessageCommand,
} from './application/offer-from-message.js';
export {
  parseVendorOfferUpdate,
  type VendorOfferUpdate,
  type VendorOfferUpdateParse,
  type VendorOfferUpdateRejection,
} from './parsing/vendor-offer-update.js';
export {
  type MessageLanguage,
  type ShopStepNotice,
  shopLanguage,
  shopStepText,
} from './application/shop-notices.js';
export {
  type CodeCheck,
  DELIVERY_DISPUTE_REASONS,
  DELIVERY_PROOF_STATUSES,
  type DeliveryConfirmation,
  type DeliveryDisputeReason,
  DeliveryProof,
  type DeliveryProofSnapshot,
  type DeliveryProofStatus,
  isDeliveryCode,
  MAX_DELIVERY_CODE_ATTEMPTS,
  newDeliveryCode,
} from './order/delivery-proof.js';
export {
  DELIVERY_REPOSITORY_TOKENS,
  type DeliveryProofRepository,
  type DeliveryRepositories,
} from './ports/delivery-repositories.js';
export type {
  OrderDeliveryCodeIssued,
  OrderDeliveryDisputed,
  OrderDeliveryDisputeResolved,
  OrderDeliveryOverridden,
} from './events/delivery-events.js';
export {
  type LineProblem,
  type LineProblemCode,
  type OrderLineRequest,
  quoteOrderLines,
} from './application/order-pricing.js';
export {
  ALLOW_ALL_RISK_POLICY,
  type OrderRiskDecision,
  type OrderRiskInput,
  type OrderRiskPolicy,
  type RiskVerdict,
} from './application/order-risk-policy.js';
export {
  PlaceOrder,
  type PlaceOrderCommand,
  type PlaceOrderFailureCode,
  type PlacedOrder,
} from './application/place-order.js';
export {
  ConfirmDraft,
  type ConfirmDraftCommand,
  type ConfirmDraftResult,
  type DraftOrderFromTextCommand,
  DraftOrderFromText,
  type DraftServices,
  type DraftSettings,
  type DraftTurn,
  MAX_DRAFT_TEXT_LENGTH,
  type PriceChangeOfLine,
  PurgeExpiredDrafts,
  ReviseDraft,
  type ReviseDraftCommand,
} from './application/order-drafts.js';
export {
  createDraftUseCases,
  DRAFT_USE_CASE_TOKENS,
  DRAFT_USE_CASES,
  type DraftUseCases,
} from './application/draft-use-cases.js';
export {
  AnswerShopMessage,
  type AnswerShopMessageCommand,
  orderNumberOf,
  type ShopMessageAnswer,
} from './application/shop-messages.js';
export {
  DEFAULT_DRAFT_TTL_MS,
  DRAFT_STATUSES,
  type DraftLine,
  type DraftQuestion,
  type DraftQuestionReason,
  type DraftStatus,
  draftBodyToJSON,
  draftFromStored,
  isDraftExpired,
  isDraftOverLimit,
  type OrderDraft,
  type OrderDraftBodyJSON,
  type OrderDraftColumns,
} from './order/order-draft.js';
export { describeDraft } from './order/draft-reply.js';
export {
  CONVERSATION_LANGUAGES,
  CONVERSATION_REPOSITORY_TOKENS,
  CONVERSATION_STEP_KINDS,
  CONVERSATION_STORE,
  type ConversationLanguage,
  type ConversationParty,
  type ConversationRepositories,
  type ConversationState,
  type ConversationStep,
  type ConversationStore,
  DEFAULT_CONVERSATION_TTL_MS,
  freshConversation,
  MAX_HANDLED_MESSAGE_IDS,
  trimHandledMessageIds,
} from './ports/conversation-store.js';
export {
  type OutboundMessageJSON,
  outboundMessageFromJSON,
  outboundMessageToJSON,
} from './messaging/outbound-message-json.js';
export {
  messageSendRequested,
  messagesSendRequested,
  requestedMessages,
  requestMessage,
} from './messaging/request-message.js';
export type { MessageSendRequested } from './events/messaging-events.js';
export {
  CONVERSATION_SERVICE,
  ConversationService,
  type ConversationServiceDeps,
} from './conversations/conversation-service.js';
export { detectLanguage } from './conversations/language.js';
export { offerUpdateText, REPLY_TEXTS, type ReplyTexts } from './conversations/replies.js';
export {
  type FetchedMedia,
  isTransientMediaFailure,
  MEDIA_FETCHER,
  type MediaFailure,
  type MediaFailureReason,
  type MediaFetcher,
  type MediaFetchResult,
  mediaFailure,
} from './ports/media-fetcher.js';
export {
  CONVERSATION_HANDLER,
  type ConversationHandler,
  type MessageDelivery,
} from './ports/conversation-handler.js';
export {
  ONBOARDING_DETAIL_MAX,
  ONBOARDING_ROLES,
  ONBOARDING_STATUSES,
  type OnboardingDetails,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingRole,
  type OnboardingStatus,
  onboardingDetailsIn,
  onboardingRoleButton,
  onboardingRoleIn,
} from './onboarding/onboarding-request.js';
export {
  ONBOARDING_REPOSITORY_TOKENS,
  ONBOARDING_REQUEST_STORE,
  type OnboardingRepositories,
  type OnboardingRequestStore,
} from './ports/onboarding-requests.js';
export {
  type CatalogDefaultRepository,
  DRAFT_REPOSITORY_TOKENS,
  type DraftRepositories,
  defaultMentionKey,
  type OrderDraftRepository,
} from './ports/draft-repositories.js';
export {
  GetProduct,
  ListProducts,
  type ListProductsQuery,
  ListVendorOffers,
  type ListVendorOffersQuery,
} from './application/catalog-queries.js';
export {
  type CreditBalance,
  GetCreditBalance,
  type CreditStatement,
  GetCreditStatement,
  type GetCreditStatementQuery,
  GetOrder,
  type GetOrderQuery,
  ListOrders,
  type ListOrdersQuery,
} from './application/queries.js';
export {
  type InvoiceToRemind,
  ListInvoicesToRemind,
  type ListInvoicesToRemindQuery,
} from './application/reminder-queries.js';
export {
  ListOverdueAccounts,
  type ListOverdueAccountsQuery,
  ListRetailers,
  type ListRetailersQuery,
  type OverdueAccount,
} from './application/retailer-queries.js';
export {
  type AccountReportQuery,
  ExportCreditSummary,
  ExportOutstandingLiability,
  ExportPaymentDiscipline,
  ExportPurchaseVolume,
  type CreditAnalytics,
  type CreditPosition,
  type FinancialMetricsQuery,
  GetCreditAnalytics,
  type FinancialSummary,
  GetCreditPosition,
  GetFinancialSummary,
  GetSalesTrend,
  type PaymentDisciplineQuery,
  type PurchaseVolumeQuery,
} from './application/financial-reports.js';
export {
  GetQueueStatus,
  GetRecoveryStatus,
  GetSystemStats,
  type SystemStats,
  ListDeadJobs,
  ListQueueJobs,
  MAX_IDLE_LISTED,
  MAX_JOB_LISTING,
  type OperationCaller,
  type QueueStatus,
  type RecoveryStatus,
  RetryDeadJob,
  type RetriedJob,
  RetryOrderRouting,
  type FailedWorkflows,
  ListFailedWorkflows,
  type RetriedInboxEvent,
  RetryInboxEvent,
} from './application/operations.js';
export {
  AdjustCredit,
  type AdjustCreditCommand,
  type RecordedAdjustment,
  RecordPayment,
  type RecordPaymentCommand,
  type RecordedPayment,
} from './application/record-payment.js';
export {
  DEFAULT_NET_TERMS_DAYS,
  DEFAULT_NEW_RETAILER_LIMIT,
  RegisterRetailer,
  type RegisterRetailerCommand,
  RegisterVendor,
  type RegisterVendorCommand,
} from './application/register-parties.js';
export {
  ApproveRetailer,
  type ApproveRetailerCommand,
  SuspendRetailer,
  type SuspendRetailerCommand,
} from './application/retailer-status.js';
export {
  ListRiskRules,
  type ListRiskRulesQuery,
  ManageRiskRules,
  type ManageRiskRulesCommand,
  type RiskRulesInForce,
} from './application/manage-risk-rules.js';
export { RateVendor, type RateVendorCommand } from './application/rate-vendor.js';
export {
  GetVendorRankings,
  type GetVendorRankingsQuery,
  type VendorRankingsView,
} from './application/vendor-rankings.js';
export {
  RecalculateCreditScore,
  type RecalculateCreditScoreCommand,
  type RecalculateCreditScoreOptions,
} from './application/recalculate-credit-score.js';
export { type CreditLimitSet, SetCreditLimit, type SetCreditLimitCommand } from './application/set-credit-limit.js';
export {
  type CreditScoreHistoryQuery,
  GetCreditScore,
  ListCreditScoreHistory,
  ListRoutingDecisions,
  SetNetTerms,
  type SetNetTermsCommand,
} from './application/engine-queries.js';
export { GetProductBySku } from './application/product-by-sku.js';
export {
  AssessOrderRisk,
  ListRiskEvents,
  type ListRiskEventsQuery,
  type OrderRiskReview,
} from './application/risk-queries.js';
export { ReviewHeldOrder, type ReviewHeldOrderCommand } from './application/review-order.js';
export { type HeldOrder, ListHeldOrders, type ListHeldOrdersQuery } from './application/held-orders.js';
export {
  type ApproveOnboardingCommand,
  ApproveOnboardingRequest,
  ListOnboardingRequests,
  type ListOnboardingRequestsQuery,
  ONBOARDING_DECISION_TEXTS,
  type OnboardingDecision,
  RejectOnboardingRequest,
  type RejectOnboardingCommand,
  recordOnboardingMessage,
} from './application/onboarding.js';
export {
  type RoutedOrder,
  RouteOrder,
  type RouteOrderCommand,
  type RouteOrderOptions,
  startOfLocalDay,
} from './application/route-order.js';
export { RuleBasedRiskPolicy } from './application/rule-based-risk-policy.js';
export {
  UpsertProduct,
  type UpsertProductCommand,
  UpsertVendorOffer,
  type UpsertVendorOfferCommand,
} from './application/upsert-catalog.js';
export {
  AcceptVendorOffer,
  type AcceptVendorOfferCommand,
  ExpireOverdueOffers,
  type ExpireOverdueOffersCommand,
  OfferOrderToVendor,
  type OfferOrderToVendorCommand,
  RejectVendorOffer,
  type RejectVendorOfferCommand,
} from './application/vendor-offers.js';

// ports
export { type Cache, CACHE } from './ports/cache.js';
export {
  type ActiveCatalog,
  CATALOG_CACHE,
  CatalogCache,
  type CatalogCacheOptions,
  type CatalogPart,
  DEFAULT_CATALOG_TTL_MS,
  type ProductChange,
} from './caching/catalog-cache.js';
export { offerFromJson, offerToJson, productFromJson, productToJson } from './caching/catalog-codec.js';
export {
  CatalogSnapshotParser,
  type CatalogSnapshotParserDeps,
  type IncrementalOrderTextParser,
} from './caching/catalog-snapshot-parser.js';
export {
  DEFAULT_RELIABILITY_TTL_MS,
  RELIABILITY_CACHE,
  ReliabilityCache,
  type RoutingReliability,
} from './caching/reliability-cache.js';
export {
  IDEMPOTENCY_STORE,
  type IdempotencyBegin,
  type IdempotencyBeginInput,
  type IdempotencyStore,
  type StoredResponse,
} from './ports/idempotency-store.js';
export { LOGGER, type Logger, NOOP_LOGGER } from './ports/logger.js';
export {
  createUseCases,
  USE_CASE_TOKENS,
  USE_CASES,
  type UseCaseOptions,
  type UseCases,
} from './application/use-cases.js';
export {
  JOB_LIST_STATES,
  JOB_QUEUE,
  type JobConsumer,
  type JobHandler,
  type JobInfo,
  type JobListPage,
  type JobListState,
  type JobQueue,
  type JobQueueStats,
  type JobSpec,
  type JobState,
} from './ports/job-queue.js';
export { LEASE_LOCK, type Lease, type LeaseLock } from './ports/lease-lock.js';
export {
  DEFAULT_QUEUE_CONCURRENCY,
  isQueueName,
  QUEUE_NAMES,
  type QueueName,
  QueueNames,
} from './ports/queue-names.js';
export { RATE_LIMITER, type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './ports/rate-limiter.js';
export {
  MESSAGE_SENDER,
  type MessageSender,
  type ListRow,
  type ListSection,
  type OutboundMessage,
  type ReplyButton,
  type TemplateRef,
} from './ports/message-sender.js';
export { advanceDeliveryStatus, isDeliveryStatusAdvance } from './messaging/delivery-status.js';
export { LoggedMessageSender } from './messaging/logged-message-sender.js';
export {
  type AppliedStatus,
  OUTBOUND_MESSAGE_LOG,
  type OutboundMessageEntry,
  type OutboundMessageLog,
  type OutboundMessagePersonalData,
  type OutboundMessageRepositories,
  OUTBOUND_MESSAGE_REPOSITORY_TOKENS,
  recipientForms,
  type SentMessageRecord,
  type StatusCallback,
} from './ports/outbound-message-log.js';
export type {
  DeliveryStatus,
  InboundContent,
  InboundEvent,
  InboundMediaKind,
  InboundMessage,
  MessageContext,
  MessageStatusUpdate,
  ProviderErrorEvent,
  ProviderErrorInfo,
} from './messaging/inbound-message.js';
export {
  type ClarificationReason,
  type LineResolution,
  type MessageIntent,
  type OrderTextParser,
  type ParseContext,
  type ParsedOrderLine,
  type UnclearOrderLine,
  type UnderstoodOrderLine,
  type ParsedOrderText,
  type ProductSuggestion,
  ORDER_TEXT_PARSER,
} from './ports/order-text-parser.js';
export {
  SPEECH_TO_TEXT,
  type SpeechToText,
  type SpeechToTextResult,
  TYPE_YOUR_ORDER,
  type Transcript,
  transcriptOf,
  type TypeYourOrder,
  type TypeYourOrderReason,
  typeYourOrder,
  type VoiceNote,
} from './ports/speech-to-text.js';
export { NoSpeechToText } from './speech/no-speech-to-text.js';
export { PURCHASE_HISTORY, type PurchaseHistory, type PurchaseRecord } from './ports/purchase-history.js';
export {
  OUTBOX,
  OUTBOX_WAKEUP,
  type Outbox,
  type OutboxClaim,
  type OutboxMessage,
  type OutboxStats,
  type OutboxPublished,
  type OutboxWakeup,
  type OutboxWriter,
  type UnreadableOutboxMessage,
} from './ports/outbox.js';
export {
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  type Page,
  type PageRequest,
  pageLimit,
  type TimeIdCursor,
} from './ports/pagination.js';
export {
  type CreditAccountRepository,
  type LedgerQuery,
  type OpenInvoice,
  type OpenInvoicesDueQuery,
  type ReferencedEntryType,
  type OrderFilter,
  type OrderRepository,
  type PriceHistoryRepository,
  type ProductFilter,
  type ProductRepository,
  type Repositories,
  type RetailerRepository,
  type UserFilter,
  type UserRepository,
  type VendorOfferRepository,
  type VendorRepository,
  REPOSITORIES,
  REPOSITORY_TOKENS,
} from './ports/repositories.js';
export { TIMER, type Timer } from './ports/timer.js';
export {
  type TransactionScope,
  UNIT_OF_WORK,
  type UnitOfWork,
  type UnitOfWorkOptions,
} from './ports/unit-of-work.js';
export {
  INBOX_LEASE_EXPIRED_ERROR,
  INBOX_WAKEUP,
  type InboxClaim,
  type InboxEvent,
  type InboxRecord,
  type InboxStats,
  type InboxStatus,
  isDeadInboxEvent,
  WEBHOOK_INBOX,
  type WebhookInbox,
} from './ports/webhook-inbox.js';
export type {
  EngineSnapshot,
  PriceIntelligenceSnapshot,
  PriceIntelligenceSnapshotRepository,
  VendorPerformanceSnapshot,
  VendorPerformanceSnapshotRepository,
} from './ports/engine-repositories.js';
export {
  fingerprintOf,
  freshReliability,
  GetPriceIntelligence,
  GetVendorPerformance,
  type PriceIntelligenceView,
  type RefreshPriceIntelligenceCommand,
  RefreshPriceIntelligence,
  type RefreshVendorPerformanceCommand,
  RefreshVendorPerformance,
  type Refreshed,
  type SnapshotSource,
  VENDOR_SNAPSHOT_MAX_AGE_MS,
  type VendorPerformanceView,
} from './application/engine-snapshots.js';
export {
  type ListedPriceAlert,
  ListPriceAlerts,
  MAX_PRICE_ALERTS_PAGE,
  type PriceAlertPage,
  type PriceAlertQuery,
} from './application/list-price-alerts.js';
