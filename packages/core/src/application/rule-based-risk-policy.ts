import { assessRisk } from '../engines/risk/assess-risk.js';
import { defaultRiskRules } from '../engines/risk/default-risk-rules.js';
import { buildRiskContext } from '../engines/risk/risk-context.js';
import { riskEventsFromAssessment } from '../engines/risk/risk-event.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { MS_PER_DAY } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import type { OrderRiskDecision, OrderRiskInput, OrderRiskPolicy } from './order-risk-policy.js';

/** How far back the risk rules look (averages, velocity, new-account counts). */
const HISTORY_DAYS = 90;
const HISTORY_LIMIT = 200;

/**
 * The risk rules as data: the stored rule set (or the defaults while none is stored),
 * evaluated against the retailer's recent history, its account and its latest score.
 * Every rule's verdict is recorded as a risk event in the place-order transaction.
 */
export class RuleBasedRiskPolicy implements OrderRiskPolicy {
  constructor(private readonly ids: IdGenerator) {}

  async assess(input: OrderRiskInput, tx: TransactionScope): Promise<OrderRiskDecision> {
    const { order, retailer, account, asOf } = input;
    const stored = await tx.riskRules.list();
    // Until an operator saves a rule set, the documented defaults apply.
    const rules = stored.length > 0 ? stored : defaultRiskRules(account.currency);
    const history = await tx.orders.list(
      { retailerId: retailer.id, placedFrom: new Date(asOf.getTime() - HISTORY_DAYS * MS_PER_DAY) },
      { limit: HISTORY_LIMIT },
    );
    const score = (await tx.creditScores.latest(retailer.id))?.score ?? null;
    const context = buildRiskContext({
      order,
      history: history.items.map((o) => o.snapshot()),
      account: account.snapshot(),
      pendingExposure: input.pendingExposure,
      score,
      asOf,
      accountOpenedAt: retailer.createdAt,
    });
    const assessment = assessRisk(rules, context);
    await tx.riskEvents.append(
      riskEventsFromAssessment(assessment, { orderId: order.id, retailerId: retailer.id, ids: this.ids }),
    );
    return {
      verdict: assessment.verdict,
      reasons: assessment.reasons,
      details: {
        policy: stored.length > 0 ? 'stored-rules' : 'default-rules',
        decidingRuleIds: [...assessment.decidingRuleIds],
        rulesEvaluated: assessment.verdicts.length,
        score,
      },
    };
  }
}
