import { ValidationError } from '../../shared/errors.js';
import { compareStrings } from '../shared/stats.js';
import { evaluateRule } from './evaluate-rule.js';
import { renderTemplate } from './reason-template.js';
import type { RiskContext } from './risk-context.js';
import { type RiskAction, type RiskRule, type RiskRuleType, worseAction } from './risk-rule.js';

export type RuleOutcome = RiskAction | 'SKIPPED';

/** One rule's verdict on one order: what is recorded as a risk event. */
export interface RuleVerdict {
  readonly ruleId: string;
  readonly ruleType: RiskRuleType;
  /** The rule's configured action. */
  readonly action: RiskAction;
  /** `action` when the rule fired, ALLOW when it did not, SKIPPED when disabled. */
  readonly outcome: RuleOutcome;
  readonly triggered: boolean;
  /** The rendered reason template when fired; otherwise why it passed or was skipped. */
  readonly reason: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface RiskAssessment {
  readonly asOf: Date;
  /** The worst outcome among enabled rules (ALLOW when none fired or no rule is enabled). */
  readonly verdict: RiskAction;
  /** Every rule, ordered by id, including skipped ones. */
  readonly verdicts: readonly RuleVerdict[];
  /** Ids of the fired rules whose outcome equals the verdict (empty for ALLOW). */
  readonly decidingRuleIds: readonly string[];
  /** Rendered reasons of every fired rule, in verdict order: what a person is told. */
  readonly reasons: readonly string[];
}

/**
 * Evaluate every rule and take the worst outcome. Rules are ordered by id so that the
 * same rule set gives the same record whatever order a repository returned it in.
 */
export function assessRisk(rules: readonly RiskRule[], context: RiskContext): RiskAssessment {
  const sorted = [...rules].sort((a, b) => compareStrings(a.id, b.id));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.id === sorted[i - 1]?.id) throw new ValidationError('duplicate risk rule id', { id: sorted[i]?.id });
  }
  const verdicts = sorted.map((rule) => verdictFor(rule, context));
  const verdict = verdicts.reduce<RiskAction>(
    (worst, v) => (v.outcome === 'SKIPPED' ? worst : worseAction(worst, v.outcome)),
    'ALLOW',
  );
  const fired = verdicts.filter((v) => v.triggered);
  return {
    asOf: context.asOf,
    verdict,
    verdicts,
    decidingRuleIds: verdict === 'ALLOW' ? [] : fired.filter((v) => v.outcome === verdict).map((v) => v.ruleId),
    reasons: fired.map((v) => v.reason),
  };
}

function verdictFor(rule: RiskRule, context: RiskContext): RuleVerdict {
  const base = { ruleId: rule.id, ruleType: rule.type, action: rule.action };
  if (!rule.enabled) {
    return { ...base, outcome: 'SKIPPED', triggered: false, reason: 'rule is disabled', values: {} };
  }
  const finding = evaluateRule(rule, context);
  const values = { ...finding.values, ruleId: rule.id, action: rule.action };
  if (!finding.triggered) return { ...base, outcome: 'ALLOW', triggered: false, reason: finding.passReason, values };
  return {
    ...base,
    outcome: rule.action,
    triggered: true,
    reason: renderTemplate(rule.reasonTemplate, values),
    values,
  };
}
