import { ValidationError } from '../../shared/errors.js';
import { Money } from '../../shared/money.js';
import { err, ok, type Result } from '../../shared/result.js';
import { templatePlaceholders } from './reason-template.js';
import {
  COMMON_TEMPLATE_VARIABLES,
  DEFAULT_REASON_TEMPLATES,
  RISK_ACTIONS,
  RISK_RULE_TYPES,
  RISK_TEMPLATE_VARIABLES,
  type RiskAction,
  type RiskRule,
  type RiskRuleType,
} from './risk-rule.js';

/** One problem with submitted rule data; `path` is dotted ("params.max.amount"). */
export interface RiskRuleIssue {
  readonly path: string;
  readonly message: string;
}

const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_TEMPLATE = 300;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validate rule data from outside (API body, database row). Money is `{ amount, currency }`
 * in minor units (a Money instance is accepted too). `enabled` defaults to true and the
 * reason template to the type's default; unknown placeholders in a template are rejected
 * so that a typo cannot reach a retailer's message.
 */
export function parseRiskRule(value: unknown): Result<RiskRule, RiskRuleIssue[]> {
  const issues: RiskRuleIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!isObj(value)) return err([{ path: '', message: 'a risk rule must be an object' }]);

  const id = value.id;
  if (typeof id !== 'string' || !RULE_ID.test(id)) issue('id', 'must be 1-64 of a-z, 0-9, . _ - (lowercase)');
  const type = value.type;
  if (typeof type !== 'string' || !(RISK_RULE_TYPES as readonly string[]).includes(type)) {
    issue('type', `must be one of ${RISK_RULE_TYPES.join(', ')}`);
  }
  const action = value.action;
  if (typeof action !== 'string' || !(RISK_ACTIONS as readonly string[]).includes(action)) {
    issue('action', `must be one of ${RISK_ACTIONS.join(', ')}`);
  }
  const enabled = value.enabled ?? true;
  if (typeof enabled !== 'boolean') issue('enabled', 'must be a boolean');
  if (issues.length > 0) return err(issues);

  const ruleType = type as RiskRuleType;
  const template = value.reasonTemplate ?? DEFAULT_REASON_TEMPLATES[ruleType];
  if (typeof template !== 'string' || template.trim().length === 0 || template.length > MAX_TEMPLATE) {
    issue('reasonTemplate', `must be 1-${MAX_TEMPLATE} characters`);
  } else {
    const allowed = [...RISK_TEMPLATE_VARIABLES[ruleType], ...COMMON_TEMPLATE_VARIABLES];
    for (const name of templatePlaceholders(template)) {
      if (!allowed.includes(name)) issue('reasonTemplate', `unknown placeholder {${name}}; use ${allowed.join(', ')}`);
    }
  }
  const params = isObj(value.params) ? value.params : undefined;
  if (!params) {
    issue('params', 'must be an object');
    return err(issues);
  }
  const p = new ParamReader(params, issue);
  const base = { id: id as string, action: action as RiskAction, enabled: enabled as boolean };
  const reasonTemplate = typeof template === 'string' ? template.trim() : '';
  let rule: RiskRule;
  switch (ruleType) {
    case 'MAX_ORDER_VALUE':
      rule = { ...base, type: ruleType, reasonTemplate, params: { max: p.money('max') } };
      break;
    case 'ORDER_VALUE_VS_AVERAGE':
      rule = {
        ...base,
        type: ruleType,
        reasonTemplate,
        params: { multiplier: p.number('multiplier', { min: 1, max: 1000 }), minOrders: p.int('minOrders', 1) },
      };
      break;
    case 'NEW_ACCOUNT':
      rule = {
        ...base,
        type: ruleType,
        reasonTemplate,
        params: {
          withinDays: p.int('withinDays', 0),
          withinOrders: p.int('withinOrders', 0),
          maxOrderValue: p.money('maxOrderValue'),
        },
      };
      break;
    case 'OVERDUE':
      rule = {
        ...base,
        type: ruleType,
        reasonTemplate,
        params: {
          maxDaysPastDue: p.int('maxDaysPastDue', 0),
          maxOverdueAmount: params.maxOverdueAmount == null ? null : p.money('maxOverdueAmount'),
        },
      };
      break;
    case 'VELOCITY':
      rule = {
        ...base,
        type: ruleType,
        reasonTemplate,
        params: { maxOrders: p.int('maxOrders', 1), windowMinutes: p.int('windowMinutes', 1) },
      };
      break;
    case 'UTILISATION':
      rule = {
        ...base,
        type: ruleType,
        reasonTemplate,
        params: { maxPercent: p.number('maxPercent', { min: 0, max: 1000 }) },
      };
      break;
    case 'SCORE_BELOW':
      rule = { ...base, type: ruleType, reasonTemplate, params: { minScore: p.int('minScore', 300, 900) } };
      break;
  }
  return issues.length > 0 ? err(issues) : ok(rule);
}

/** Like `parseRiskRule`, but throws a ValidationError listing the issues (for use cases). */
export function requireRiskRule(value: unknown): RiskRule {
  const result = parseRiskRule(value);
  if (!result.ok) {
    throw new ValidationError(`invalid risk rule: ${result.error.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
      issues: result.error,
    });
  }
  return result.value;
}

class ParamReader {
  constructor(
    private readonly params: Obj,
    private readonly issue: (path: string, message: string) => void,
  ) {}

  number(key: string, range: { min: number; max: number }): number {
    const v = this.params[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || v > range.max) {
      this.issue(`params.${key}`, `must be a number within ${range.min}..${range.max}`);
      return range.min;
    }
    return v;
  }

  int(key: string, min: number, max = 1_000_000): number {
    const v = this.params[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.issue(`params.${key}`, `must be an integer within ${min}..${max}`);
      return min;
    }
    return v;
  }

  money(key: string): Money {
    const v = this.params[key];
    if (v instanceof Money) return v;
    if (!isObj(v)) {
      this.issue(`params.${key}`, 'must be money: { amount (minor units), currency }');
      return Money.zero();
    }
    const amount = v.amount;
    const currency = v.currency ?? 'NPR';
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      this.issue(`params.${key}.amount`, 'must be a non-negative integer of minor units');
      return Money.zero();
    }
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
      this.issue(`params.${key}.currency`, 'must be an ISO 4217 code');
      return Money.zero();
    }
    return Money.of(amount, currency);
  }
}
