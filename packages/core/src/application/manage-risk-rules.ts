import { defaultRiskRules } from '../engines/risk/default-risk-rules.js';
import { requireRiskRule } from '../engines/risk/parse-risk-rule.js';
import type { RiskRule } from '../engines/risk/risk-rule.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import { type Actor, actorToJson, requireStaff } from '../shared/domain-event.js';
import { ErrorCodes } from '../shared/errors.js';
import { checkActor, checkCommand } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface ManageRiskRulesCommand {
  /** Untrusted input: parsed and validated here (a malformed rule is a ValidationError). */
  readonly rule: unknown;
  /** The currency of the default rules stored alongside the first saved one. Default NPR. */
  readonly currency?: string;
  readonly actor: Actor;
}

export interface ListRiskRulesQuery {
  readonly currency?: string;
}

export interface RiskRulesInForce {
  readonly rules: RiskRule[];
  readonly source: 'stored' | 'defaults';
}

/**
 * Risk rules are data an operator edits: save one rule, audited through the outbox.
 * Saving the first rule stores the default set first, so the rules in force never
 * silently shrink to the one just saved. Staff only.
 */
export class ManageRiskRules {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(command: ManageRiskRulesCommand): Promise<Outcome<RiskRule, FailureCode<typeof ManageRiskRules>>> {
    checkCommand(command);
    const actor = checkActor(command.actor);
    const rule = requireRiskRule(command.rule);
    const currency = command.currency ?? 'NPR';
    return runUseCase(ManageRiskRules.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          requireStaff(actor, 'change risk rules');
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
      ),
    );
  }
}

/** The rules in force: the stored set, or the defaults while none is stored. */
export class ListRiskRules {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListRiskRulesQuery = {}): Promise<Outcome<RiskRulesInForce, FailureCode<typeof ListRiskRules>>> {
    const currency = query.currency ?? 'NPR';
    return runUseCase(ListRiskRules.failures, async () => {
      const stored = await this.ctx.repos.riskRules.list();
      return stored.length > 0
        ? { rules: stored, source: 'stored' as const }
        : { rules: defaultRiskRules(currency), source: 'defaults' as const };
    });
  }
}
