import { defaultRiskRules } from '../engines/risk/default-risk-rules.js';
import { requireRiskRule } from '../engines/risk/parse-risk-rule.js';
import type { RiskRule } from '../engines/risk/risk-rule.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { type Actor, actorToJson } from '../shared/domain-event.js';
import type { UseCaseContext } from './context.js';
import { persist } from './context.js';

/**
 * Risk rules are data an operator edits. Saving the first rule stores the default set
 * first, so the rules in force never silently shrink to the one just saved.
 */
export class ManageRiskRules {
  constructor(private readonly ctx: UseCaseContext) {}

  /** The rules in force: the stored set, or the defaults while none is stored. */
  async list(currency = 'NPR'): Promise<{ rules: RiskRule[]; source: 'stored' | 'defaults' }> {
    const stored = await this.ctx.repos.riskRules.list();
    return stored.length > 0
      ? { rules: stored, source: 'stored' }
      : { rules: defaultRiskRules(currency), source: 'defaults' };
  }

  /** Validate (untrusted input) and save one rule; audited through the outbox. */
  async save(input: unknown, actor: Actor, currency = 'NPR'): Promise<RiskRule> {
    const rule = requireRiskRule(input);
    return this.ctx.uow.run(
      async (tx) => {
        if ((await tx.riskRules.list()).length === 0) {
          for (const d of defaultRiskRules(currency)) if (d.id !== rule.id) await tx.riskRules.save(d);
        }
        const previous = await tx.riskRules.get(rule.id);
        await tx.riskRules.save(rule);
        await persist(tx, {
          events: [
            domainEvent(EventTypes.RISK_RULE_SAVED, rule.id, this.ctx.clock.now(), {
              ruleId: rule.id,
              ruleType: rule.type,
              action: rule.action,
              enabled: rule.enabled,
              created: previous === null,
              actor: actorToJson(actor),
            }),
          ],
        });
        return rule;
      },
      { label: 'save-risk-rule' },
    );
  }
}
