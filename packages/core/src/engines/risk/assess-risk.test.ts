import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom } from '../../shared/seeded-random.js';
import type { CreditAccountState } from '../../credit/credit-account.js';
import type { OrderSnapshot } from '../../order/order.js';
import type { LedgerEntryId, OrderId, RetailerId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { assessRisk } from './assess-risk.js';
import { defaultRiskRules } from './default-risk-rules.js';
import { parseRiskRule, requireRiskRule } from './parse-risk-rule.js';
import { buildRiskContext, type RiskContext } from './risk-context.js';
import { riskEventsFromAssessment } from './risk-event.js';
import { type RiskAction, type RiskRule, riskSeverity } from './risk-rule.js';

const AS_OF = new Date('2025-06-01T10:00:00Z');
const DAY = 86_400_000;
const npr = (rupees: number): Money => Money.of(rupees * 100);

/** Seeded (mulberry32) so property tests are reproducible. */
const prng = (seed: number): (() => number) => {
  const r = new SeededRandom(seed);
  return () => r.next();
};

function aContext(overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    asOf: AS_OF,
    orderValue: npr(5_000),
    accountOpenedAt: new Date(AS_OF.getTime() - 200 * DAY),
    previousOrderCount: 20,
    averageOrderValue: npr(6_000),
    recentOrderTimes: [new Date(AS_OF.getTime() - 2 * DAY)],
    creditLimit: npr(100_000),
    outstanding: npr(10_000),
    held: Money.zero(),
    pendingExposure: Money.zero(),
    maxDaysPastDue: 0,
    overdueAmount: Money.zero(),
    score: 700,
    ...overrides,
  };
}

const rule = (data: Record<string, unknown>): RiskRule => requireRiskRule(data);

test('a normal order from an established retailer is allowed by the default rules', () => {
  const a = assessRisk(defaultRiskRules(), aContext());
  assert.is(a.verdict, 'ALLOW');
  assert.is(a.verdicts.length, 9);
  assert.equal(a.decidingRuleIds, []);
  assert.ok(a.verdicts.every((v) => v.outcome === 'ALLOW' && v.reason.length > 0));
});

test('max order value: reason template is rendered with formatted money', () => {
  const a = assessRisk(defaultRiskRules(), aContext({ orderValue: npr(250_000), averageOrderValue: npr(200_000) }));
  assert.is(a.verdict, 'REVIEW');
  const v = a.verdicts.find((x) => x.ruleId === 'max-order-value-review');
  assert.is(v?.reason, 'order value NPR 250,000.00 exceeds NPR 200,000.00');
  assert.equal(a.decidingRuleIds, ['max-order-value-review', 'utilisation-high']);
});

test('overdue beyond 30 days blocks; the worst verdict wins over reviews', () => {
  const a = assessRisk(defaultRiskRules(), aContext({ maxDaysPastDue: 45, overdueAmount: npr(3_000) }));
  assert.is(a.verdict, 'BLOCK');
  assert.equal(a.decidingRuleIds, ['overdue-block']);
  assert.ok(a.reasons.some((r) => r.includes('45 days past due')));
});

test('overdue amount alone can block', () => {
  const a = assessRisk(defaultRiskRules(), aContext({ maxDaysPastDue: 3, overdueAmount: npr(150_000) }));
  assert.is(a.verdict, 'BLOCK');
});

test('new account: first orders above the cap are reviewed', () => {
  const ctx = aContext({
    accountOpenedAt: new Date(AS_OF.getTime() - 2 * DAY),
    previousOrderCount: 0,
    averageOrderValue: null,
    recentOrderTimes: [],
    score: null,
    orderValue: npr(30_000),
  });
  const a = assessRisk(defaultRiskRules(), ctx);
  assert.is(a.verdict, 'REVIEW');
  assert.equal(a.decidingRuleIds, ['new-account-limit']);
  assert.is(a.verdicts.find((v) => v.ruleId === 'score-low')?.outcome, 'ALLOW');
});

test('order value vs average needs minOrders of history', () => {
  const r = rule({
    id: 'avg',
    type: 'ORDER_VALUE_VS_AVERAGE',
    action: 'BLOCK',
    params: { multiplier: 2, minOrders: 5 },
  });
  assert.is(assessRisk([r], aContext({ orderValue: npr(20_000), previousOrderCount: 4 })).verdict, 'ALLOW');
  const fired = assessRisk([r], aContext({ orderValue: npr(20_000) }));
  assert.is(fired.verdict, 'BLOCK');
  assert.is(fired.verdicts[0]?.values.threshold, 'NPR 12,000.00');
});

test('velocity counts this order with the earlier ones inside the window', () => {
  const r = rule({ id: 'v', type: 'VELOCITY', action: 'REVIEW', params: { maxOrders: 3, windowMinutes: 10 } });
  const times = [1, 2, 3].map((m) => new Date(AS_OF.getTime() - m * 60_000));
  assert.is(assessRisk([r], aContext({ recentOrderTimes: times })).verdict, 'REVIEW');
  assert.is(assessRisk([r], aContext({ recentOrderTimes: times.slice(0, 2) })).verdict, 'ALLOW');
  const old = [new Date(AS_OF.getTime() - 11 * 60_000), ...times.slice(0, 2)];
  assert.is(assessRisk([r], aContext({ recentOrderTimes: old })).verdict, 'ALLOW');
});

test('utilisation includes holds, pending exposure and this order; a zero limit fires', () => {
  const r = rule({ id: 'u', type: 'UTILISATION', action: 'REVIEW', params: { maxPercent: 80 } });
  const ctx = aContext({ outstanding: npr(51_000), held: npr(10_000), pendingExposure: npr(15_000) });
  assert.is(
    assessRisk([r], aContext({ outstanding: npr(50_000), held: npr(10_000), pendingExposure: npr(15_000) })).verdict,
    'ALLOW',
  );
  assert.is(assessRisk([r], ctx).verdict, 'REVIEW');
  assert.is(assessRisk([r], ctx).verdicts[0]?.values.utilisation, '81.0 %');
  assert.is(assessRisk([r], aContext({ creditLimit: Money.zero() })).verdict, 'REVIEW');
});

test('score below: fires under the threshold, not without a score', () => {
  const r = rule({ id: 's', type: 'SCORE_BELOW', action: 'BLOCK', params: { minScore: 500 } });
  assert.is(assessRisk([r], aContext({ score: 499 })).verdict, 'BLOCK');
  assert.is(assessRisk([r], aContext({ score: 500 })).verdict, 'ALLOW');
  assert.is(assessRisk([r], aContext({ score: null })).verdict, 'ALLOW');
});

test('disabled rules are reported as skipped and never decide', () => {
  const rules = defaultRiskRules().map((r) => (r.id === 'overdue-block' ? { ...r, enabled: false } : r));
  const a = assessRisk(rules, aContext({ maxDaysPastDue: 45 }));
  assert.is(a.verdict, 'REVIEW');
  const skipped = a.verdicts.find((v) => v.ruleId === 'overdue-block');
  assert.is(skipped?.outcome, 'SKIPPED');
  assert.is(skipped?.reason, 'rule is disabled');
});

test('no rules: ALLOW; duplicate ids are refused', () => {
  assert.is(assessRisk([], aContext()).verdict, 'ALLOW');
  const r = defaultRiskRules()[0] as RiskRule;
  assert.throws(() => assessRisk([r, r], aContext()));
});

test('verdicts are ordered by rule id whatever the input order', () => {
  const rules = defaultRiskRules();
  const a = assessRisk(rules, aContext());
  const b = assessRisk([...rules].reverse(), aContext());
  assert.equal(
    a.verdicts.map((v) => v.ruleId),
    b.verdicts.map((v) => v.ruleId),
  );
});

test('property: the assessment is the worst enabled verdict', () => {
  const rand = prng(99);
  const actions: RiskAction[] = ['ALLOW', 'REVIEW', 'BLOCK'];
  for (let i = 0; i < 300; i++) {
    const rules = defaultRiskRules().map((r) => ({
      ...r,
      action: actions[Math.floor(rand() * 3)] as RiskAction,
      enabled: rand() < 0.8,
    })) as RiskRule[];
    const ctx = aContext({
      orderValue: npr(Math.floor(rand() * 600_000)),
      maxDaysPastDue: Math.floor(rand() * 60),
      previousOrderCount: Math.floor(rand() * 6),
      score: rand() < 0.2 ? null : 300 + Math.floor(rand() * 600),
      outstanding: npr(Math.floor(rand() * 100_000)),
    });
    const a = assessRisk(rules, ctx);
    const worst = a.verdicts
      .filter((v) => v.outcome !== 'SKIPPED')
      .reduce((w, v) => Math.max(w, riskSeverity(v.outcome as RiskAction)), 0);
    assert.is(riskSeverity(a.verdict), worst);
    assert.ok(a.verdicts.every((v) => v.outcome === 'SKIPPED' || v.triggered || v.outcome === 'ALLOW'));
  }
});

test('parseRiskRule accepts API JSON and defaults the template and enabled flag', () => {
  const r = parseRiskRule({
    id: 'big',
    type: 'MAX_ORDER_VALUE',
    action: 'BLOCK',
    params: { max: { amount: 1_000_000, currency: 'NPR' } },
  });
  assert.ok(r.ok);
  if (r.ok) {
    assert.is(r.value.enabled, true);
    assert.is(r.value.reasonTemplate, 'order value {orderValue} exceeds {max}');
    assert.ok(r.value.type === 'MAX_ORDER_VALUE' && r.value.params.max.equals(Money.of(1_000_000)));
  }
});

test('parseRiskRule reports every issue with a path', () => {
  const bad = parseRiskRule({ id: 'Bad Id', type: 'NOPE', action: 'MAYBE', enabled: 'yes' });
  assert.not.ok(bad.ok);
  if (!bad.ok) assert.equal(bad.error.map((i) => i.path).sort(), ['action', 'enabled', 'id', 'type']);
  const params = parseRiskRule({
    id: 'v',
    type: 'VELOCITY',
    action: 'REVIEW',
    params: { maxOrders: 0, windowMinutes: 1.5 },
    reasonTemplate: 'too fast: {count} {oops}',
  });
  assert.not.ok(params.ok);
  if (!params.ok) {
    assert.equal(params.error.map((i) => i.path).sort(), [
      'params.maxOrders',
      'params.windowMinutes',
      'reasonTemplate',
    ]);
  }
  assert.not.ok(parseRiskRule(null).ok);
  assert.not.ok(
    parseRiskRule({ id: 'm', type: 'MAX_ORDER_VALUE', action: 'BLOCK', params: { max: { amount: -1 } } }).ok,
  );
  assert.throws(() => requireRiskRule({ id: 'x' }), /invalid risk rule/);
});

test('every default rule round-trips through the validator (as JSON)', () => {
  for (const r of defaultRiskRules()) {
    const parsed = parseRiskRule(JSON.parse(JSON.stringify(r)));
    assert.ok(parsed.ok, r.id);
    if (parsed.ok) assert.equal(JSON.parse(JSON.stringify(parsed.value)), JSON.parse(JSON.stringify(r)));
  }
});

test('buildRiskContext derives averages, overdue and velocity inputs from domain objects', () => {
  const order = (id: string, rupees: number, daysAgo: number, status: OrderSnapshot['status']): OrderSnapshot =>
    ({
      id: id as OrderId,
      total: npr(rupees),
      status,
      placedAt: new Date(AS_OF.getTime() - daysAgo * DAY),
    }) as OrderSnapshot;
  const account = {
    retailerId: 'r-1' as RetailerId,
    currency: 'NPR',
    creditLimit: npr(50_000),
    netTermsDays: 15,
    createdAt: new Date(AS_OF.getTime() - 100 * DAY),
    balance: npr(8_000),
    held: npr(1_000),
    unappliedCredit: Money.zero(),
    limitSetManually: false,
    openItems: [
      {
        entryId: 'e1' as LedgerEntryId,
        orderId: null,
        type: 'INVOICE',
        original: npr(5_000),
        remaining: npr(5_000),
        issuedAt: new Date(AS_OF.getTime() - 30 * DAY),
        dueAt: new Date(AS_OF.getTime() - 12 * DAY),
        sequence: 1,
      },
    ],
    holds: [],
    lastSequence: 1,
    version: 1,
    updatedAt: AS_OF,
  } as CreditAccountState;
  const current = order('o-now', 9_000, 0, 'PENDING');
  const ctx = buildRiskContext({
    order: current,
    history: [
      current,
      order('a', 2_000, 5, 'COMPLETED'),
      order('b', 4_000, 3, 'DELIVERED'),
      order('c', 50_000, 1, 'REJECTED'),
    ],
    account,
    pendingExposure: Money.zero(),
    score: 640,
    asOf: AS_OF,
  });
  assert.is(ctx.previousOrderCount, 2);
  assert.ok(ctx.averageOrderValue?.equals(npr(3_000)));
  assert.is(ctx.recentOrderTimes.length, 3);
  assert.is(ctx.maxDaysPastDue, 12);
  assert.ok(ctx.overdueAmount.equals(npr(5_000)));
  assert.ok(ctx.orderValue.equals(npr(9_000)));
});

test('risk events: one per rule, carrying the overall verdict', () => {
  let n = 0;
  const a = assessRisk(defaultRiskRules(), aContext({ maxDaysPastDue: 45 }));
  const events = riskEventsFromAssessment(a, {
    orderId: 'o-1' as OrderId,
    retailerId: 'r-1' as RetailerId,
    ids: { next: () => `ev-${++n}` },
  });
  assert.is(events.length, a.verdicts.length);
  assert.ok(events.every((e) => e.assessmentVerdict === 'BLOCK' && e.assessedAt === AS_OF));
  assert.is(events[0]?.id, 'ev-1');
});

test.run();
