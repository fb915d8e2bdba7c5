import { type CurrencyCode, Money } from '../../shared/money.js';
import { DEFAULT_REASON_TEMPLATES, type RiskRule } from './risk-rule.js';

/**
 * A starting rule set for a Nepali kirana wholesale book (amounts in NPR). Judgement calls:
 * - a single order above NPR 2 lakh is reviewed, above NPR 5 lakh blocked (a kirana's
 *   weekly restock is typically NPR 5,000-50,000);
 * - 3× the retailer's own average (from its third order) is reviewed;
 * - first 14 days / first 3 orders: orders above NPR 25,000 are reviewed;
 * - anything more than 7 days overdue is reviewed, more than 30 days (or NPR 1 lakh overdue) blocked;
 * - more than 5 orders in 60 minutes is reviewed (duplicate sends, a compromised phone);
 * - utilisation above 90 % including this order is reviewed (the hard limit is the credit check's job);
 * - a credit score below 450 (deep in band E) is reviewed.
 */
export function defaultRiskRules(currency: CurrencyCode = 'NPR'): RiskRule[] {
  const npr = (rupees: number): Money => Money.of(rupees * 100, currency);
  return [
    {
      id: 'max-order-value-review',
      type: 'MAX_ORDER_VALUE',
      params: { max: npr(200_000) },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.MAX_ORDER_VALUE,
    },
    {
      id: 'max-order-value-block',
      type: 'MAX_ORDER_VALUE',
      params: { max: npr(500_000) },
      action: 'BLOCK',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.MAX_ORDER_VALUE,
    },
    {
      id: 'order-vs-average',
      type: 'ORDER_VALUE_VS_AVERAGE',
      params: { multiplier: 3, minOrders: 3 },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.ORDER_VALUE_VS_AVERAGE,
    },
    {
      id: 'new-account-limit',
      type: 'NEW_ACCOUNT',
      params: { withinDays: 14, withinOrders: 3, maxOrderValue: npr(25_000) },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.NEW_ACCOUNT,
    },
    {
      id: 'overdue-review',
      type: 'OVERDUE',
      params: { maxDaysPastDue: 7, maxOverdueAmount: null },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.OVERDUE,
    },
    {
      id: 'overdue-block',
      type: 'OVERDUE',
      params: { maxDaysPastDue: 30, maxOverdueAmount: npr(100_000) },
      action: 'BLOCK',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.OVERDUE,
    },
    {
      id: 'velocity',
      type: 'VELOCITY',
      params: { maxOrders: 5, windowMinutes: 60 },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.VELOCITY,
    },
    {
      id: 'utilisation-high',
      type: 'UTILISATION',
      params: { maxPercent: 90 },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.UTILISATION,
    },
    {
      id: 'score-low',
      type: 'SCORE_BELOW',
      params: { minScore: 450 },
      action: 'REVIEW',
      enabled: true,
      reasonTemplate: DEFAULT_REASON_TEMPLATES.SCORE_BELOW,
    },
  ];
}
