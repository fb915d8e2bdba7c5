import type { Money } from '../../shared/money.js';
import { scaleMoney } from '../shared/money-stats.js';
import { elapsedDays } from '../shared/time.js';
import type { RiskContext } from './risk-context.js';
import type { RiskRule } from './risk-rule.js';

/** A rule's finding before its action is applied. Values are display strings (JSON-safe, stored as-is). */
export interface RuleFinding {
  readonly triggered: boolean;
  readonly values: Readonly<Record<string, string>>;
  /** Why the rule did not fire (its reason template describes why it did). */
  readonly passReason: string;
}

const money = (m: Money): string => m.format();
const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Evaluate one rule against the context. Pure; exhaustive over the rule union. */
export function evaluateRule(rule: RiskRule, ctx: RiskContext): RuleFinding {
  switch (rule.type) {
    case 'MAX_ORDER_VALUE': {
      const values = { orderValue: money(ctx.orderValue), max: money(rule.params.max) };
      return {
        triggered: ctx.orderValue.greaterThan(rule.params.max),
        values,
        passReason: `order value ${values.orderValue} is within ${values.max}`,
      };
    }
    case 'ORDER_VALUE_VS_AVERAGE': {
      const { multiplier, minOrders } = rule.params;
      const avg = ctx.averageOrderValue;
      const base = {
        orderValue: money(ctx.orderValue),
        multiplier: num(multiplier),
        orderCount: String(ctx.previousOrderCount),
        minOrders: String(minOrders),
      };
      if (avg === null || ctx.previousOrderCount < minOrders) {
        return {
          triggered: false,
          values: { ...base, average: 'n/a', threshold: 'n/a' },
          passReason: `only ${ctx.previousOrderCount} earlier order(s); the average is used from ${minOrders}`,
        };
      }
      const threshold = scaleMoney(avg, multiplier);
      const values = { ...base, average: money(avg), threshold: money(threshold) };
      return {
        triggered: ctx.orderValue.greaterThan(threshold),
        values,
        passReason: `order value ${values.orderValue} is within ${values.multiplier}× the average ${values.average}`,
      };
    }
    case 'NEW_ACCOUNT': {
      const { withinDays, withinOrders, maxOrderValue } = rule.params;
      const ageDays = Math.max(0, Math.floor(elapsedDays(ctx.accountOpenedAt, ctx.asOf)));
      const isNew = ageDays < withinDays || ctx.previousOrderCount < withinOrders;
      const values = {
        orderValue: money(ctx.orderValue),
        max: money(maxOrderValue),
        accountAgeDays: String(ageDays),
        orderCount: String(ctx.previousOrderCount),
        withinDays: String(withinDays),
        withinOrders: String(withinOrders),
      };
      return {
        triggered: isNew && ctx.orderValue.greaterThan(maxOrderValue),
        values,
        passReason: isNew
          ? `new account, but order value ${values.orderValue} is within ${values.max}`
          : `account is established (${ageDays} days, ${ctx.previousOrderCount} orders)`,
      };
    }
    case 'OVERDUE': {
      const { maxDaysPastDue, maxOverdueAmount } = rule.params;
      const late = ctx.maxDaysPastDue > maxDaysPastDue;
      const tooMuch = maxOverdueAmount !== null && ctx.overdueAmount.greaterThan(maxOverdueAmount);
      const values = {
        daysPastDue: String(ctx.maxDaysPastDue),
        maxDaysPastDue: String(maxDaysPastDue),
        overdueAmount: money(ctx.overdueAmount),
        maxOverdueAmount: maxOverdueAmount === null ? 'n/a' : money(maxOverdueAmount),
      };
      return {
        triggered: late || tooMuch,
        values,
        passReason: `${values.daysPastDue} days past due and ${values.overdueAmount} overdue are within limits`,
      };
    }
    case 'VELOCITY': {
      const { maxOrders, windowMinutes } = rule.params;
      const from = ctx.asOf.getTime() - windowMinutes * 60_000;
      const earlier = ctx.recentOrderTimes.filter((t) => t.getTime() > from && t.getTime() <= ctx.asOf.getTime());
      const count = earlier.length + 1; // this order included
      const values = { count: String(count), maxOrders: String(maxOrders), windowMinutes: String(windowMinutes) };
      return {
        triggered: count > maxOrders,
        values,
        passReason: `${count} order(s) within ${windowMinutes} minutes (max ${maxOrders})`,
      };
    }
    case 'UTILISATION': {
      const used = ctx.outstanding.add(ctx.held).add(ctx.pendingExposure).add(ctx.orderValue);
      // A zero limit with anything owed is "infinitely" utilised: the rule must fire.
      const percent = ctx.creditLimit.isZero()
        ? used.isPositive()
          ? Number.POSITIVE_INFINITY
          : 0
        : (Math.max(0, used.amount) / ctx.creditLimit.amount) * 100;
      const values = {
        utilisation: Number.isFinite(percent) ? `${percent.toFixed(1)} %` : 'over a zero limit',
        maxPercent: `${num(rule.params.maxPercent)} %`,
      };
      return {
        triggered: percent > rule.params.maxPercent,
        values,
        passReason: `credit utilisation ${values.utilisation} is within ${values.maxPercent}`,
      };
    }
    case 'SCORE_BELOW': {
      const values = { score: ctx.score === null ? 'none' : String(ctx.score), minScore: String(rule.params.minScore) };
      if (ctx.score === null) {
        return {
          triggered: false,
          values,
          passReason: 'no credit score yet (new accounts are covered by NEW_ACCOUNT)',
        };
      }
      return {
        triggered: ctx.score < rule.params.minScore,
        values,
        passReason: `credit score ${ctx.score} is at least ${rule.params.minScore}`,
      };
    }
  }
}
