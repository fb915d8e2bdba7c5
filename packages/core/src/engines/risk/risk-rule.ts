import type { Money } from '../../shared/money.js';

export const RISK_ACTIONS = ['ALLOW', 'REVIEW', 'BLOCK'] as const;
/** What a rule asks for when it fires. ALLOW rules only record (useful to trial a rule). */
export type RiskAction = (typeof RISK_ACTIONS)[number];

const SEVERITY: Readonly<Record<RiskAction, number>> = { ALLOW: 0, REVIEW: 1, BLOCK: 2 };

export function riskSeverity(action: RiskAction): number {
  return SEVERITY[action];
}

/** The more severe of two actions. */
export function worseAction(a: RiskAction, b: RiskAction): RiskAction {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export const RISK_RULE_TYPES = [
  'MAX_ORDER_VALUE',
  'ORDER_VALUE_VS_AVERAGE',
  'NEW_ACCOUNT',
  'OVERDUE',
  'VELOCITY',
  'UTILISATION',
  'SCORE_BELOW',
] as const;
export type RiskRuleType = (typeof RISK_RULE_TYPES)[number];

interface RiskRuleOf<T extends RiskRuleType, P> {
  /** Stable, human-chosen id ("max-order-value-block"). */
  readonly id: string;
  readonly type: T;
  readonly params: P;
  readonly action: RiskAction;
  readonly enabled: boolean;
  /** Rendered when the rule fires: "{orderValue} exceeds {max}". See RISK_TEMPLATE_VARIABLES. */
  readonly reasonTemplate: string;
}

/** Fires when the order value is above `max`. */
export type MaxOrderValueRule = RiskRuleOf<'MAX_ORDER_VALUE', { readonly max: Money }>;
/** Fires when the order is more than `multiplier` × the retailer's average, once it has `minOrders` orders. */
export type OrderValueVsAverageRule = RiskRuleOf<
  'ORDER_VALUE_VS_AVERAGE',
  { readonly multiplier: number; readonly minOrders: number }
>;
/** While the account is younger than `withinDays` or has fewer than `withinOrders` orders, caps the order value. */
export type NewAccountRule = RiskRuleOf<
  'NEW_ACCOUNT',
  { readonly withinDays: number; readonly withinOrders: number; readonly maxOrderValue: Money }
>;
/** Fires when the worst open invoice is more than `maxDaysPastDue` late, or overdue money exceeds the cap. */
export type OverdueRule = RiskRuleOf<
  'OVERDUE',
  { readonly maxDaysPastDue: number; readonly maxOverdueAmount: Money | null }
>;
/** Fires when this order makes more than `maxOrders` orders within `windowMinutes`. */
export type VelocityRule = RiskRuleOf<'VELOCITY', { readonly maxOrders: number; readonly windowMinutes: number }>;
/** Fires when utilisation including this order goes above `maxPercent` of the limit. */
export type UtilisationRule = RiskRuleOf<'UTILISATION', { readonly maxPercent: number }>;
/** Fires when the latest credit score is below `minScore` (no score yet: does not fire). */
export type ScoreBelowRule = RiskRuleOf<'SCORE_BELOW', { readonly minScore: number }>;

/** Rules are data: stored, edited through the API, evaluated by `assessRisk`. */
export type RiskRule =
  | MaxOrderValueRule
  | OrderValueVsAverageRule
  | NewAccountRule
  | OverdueRule
  | VelocityRule
  | UtilisationRule
  | ScoreBelowRule;

/** Placeholders each rule type can use in its reason template (plus {ruleId} and {action}). */
export const RISK_TEMPLATE_VARIABLES: Readonly<Record<RiskRuleType, readonly string[]>> = {
  MAX_ORDER_VALUE: ['orderValue', 'max'],
  ORDER_VALUE_VS_AVERAGE: ['orderValue', 'average', 'multiplier', 'threshold', 'orderCount', 'minOrders'],
  NEW_ACCOUNT: ['orderValue', 'max', 'accountAgeDays', 'orderCount', 'withinDays', 'withinOrders'],
  OVERDUE: ['daysPastDue', 'maxDaysPastDue', 'overdueAmount', 'maxOverdueAmount'],
  VELOCITY: ['count', 'maxOrders', 'windowMinutes'],
  UTILISATION: ['utilisation', 'maxPercent'],
  SCORE_BELOW: ['score', 'minScore'],
};

export const COMMON_TEMPLATE_VARIABLES: readonly string[] = ['ruleId', 'action'];

export const DEFAULT_REASON_TEMPLATES: Readonly<Record<RiskRuleType, string>> = {
  MAX_ORDER_VALUE: 'order value {orderValue} exceeds {max}',
  ORDER_VALUE_VS_AVERAGE: 'order value {orderValue} is more than {multiplier}× the average {average}',
  NEW_ACCOUNT: 'new account ({accountAgeDays} days, {orderCount} orders): order value {orderValue} exceeds {max}',
  OVERDUE: 'overdue: {daysPastDue} days past due (max {maxDaysPastDue}), {overdueAmount} overdue',
  VELOCITY: '{count} orders within {windowMinutes} minutes (max {maxOrders})',
  UTILISATION: 'credit utilisation would be {utilisation} (max {maxPercent})',
  SCORE_BELOW: 'credit score {score} is below {minScore}',
};
