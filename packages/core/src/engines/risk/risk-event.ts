import type { IdGenerator, OrderId, RetailerId } from '../../shared/ids.js';
import type { RiskAssessment, RuleOutcome } from './assess-risk.js';
import type { RiskAction, RiskRuleType } from './risk-rule.js';

/** One rule's verdict on one order, as recorded (append-only) for audit and the API. */
export interface RiskEvent {
  readonly id: string;
  readonly orderId: OrderId;
  readonly retailerId: RetailerId;
  readonly assessedAt: Date;
  readonly ruleId: string;
  readonly ruleType: RiskRuleType;
  readonly action: RiskAction;
  readonly outcome: RuleOutcome;
  readonly triggered: boolean;
  readonly reason: string;
  readonly values: Readonly<Record<string, string>>;
  /** The assessment's overall verdict, so one event read alone still tells the outcome. */
  readonly assessmentVerdict: RiskAction;
}

/** Turn an assessment into one event per rule (skipped rules included), ids from the port. */
export function riskEventsFromAssessment(
  assessment: RiskAssessment,
  ref: { readonly orderId: OrderId; readonly retailerId: RetailerId; readonly ids: IdGenerator },
): RiskEvent[] {
  return assessment.verdicts.map((v) => ({
    id: ref.ids.next(),
    orderId: ref.orderId,
    retailerId: ref.retailerId,
    assessedAt: assessment.asOf,
    ruleId: v.ruleId,
    ruleType: v.ruleType,
    action: v.action,
    outcome: v.outcome,
    triggered: v.triggered,
    reason: v.reason,
    values: v.values,
    assessmentVerdict: assessment.verdict,
  }));
}
