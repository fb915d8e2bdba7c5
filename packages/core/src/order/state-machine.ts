import { InvariantError } from '../shared/errors.js';

/** A transition table: named transitions, each from some states to one, with an optional pure guard. */
export interface TransitionDefinition<S extends string, N extends string, C> {
  readonly name: N;
  readonly from: readonly S[];
  readonly to: S;
  /** Returns why the transition is refused, or null when it may happen. */
  readonly guard?: (context: C) => string | null;
}

export interface StateMachineDefinition<S extends string, N extends string, C> {
  readonly states: readonly S[];
  readonly initial: S;
  readonly terminal: readonly S[];
  readonly transitions: readonly TransitionDefinition<S, N, C>[];
}

export type TransitionCheck<S extends string> =
  | { readonly allowed: true; readonly to: S }
  | { readonly allowed: false; readonly reason: string };

export class StateMachine<S extends string, N extends string, C> {
  private readonly byName = new Map<N, TransitionDefinition<S, N, C>>();

  constructor(readonly definition: StateMachineDefinition<S, N, C>) {
    validateDefinition(definition);
    for (const t of definition.transitions) this.byName.set(t.name, t);
  }

  check(from: S, name: N, context: C): TransitionCheck<S> {
    const t = this.byName.get(name);
    if (!t) return { allowed: false, reason: `unknown transition ${name}` };
    if (!t.from.includes(from)) return { allowed: false, reason: `${name} is not allowed from ${from}` };
    const refused = t.guard?.(context) ?? null;
    return refused === null ? { allowed: true, to: t.to } : { allowed: false, reason: refused };
  }

  /** Transitions whose source includes `from` (guards not evaluated). */
  transitionsFrom(from: S): readonly TransitionDefinition<S, N, C>[] {
    return this.definition.transitions.filter((t) => t.from.includes(from));
  }

  isTerminal(state: S): boolean {
    return this.definition.terminal.includes(state);
  }
}

/**
 * Refuses a table with unreachable states, non-terminal dead ends, terminal states with
 * exits, duplicate names or unknown states: a broken lifecycle fails at load, not in production.
 */
export function validateDefinition<S extends string, N extends string, C>(def: StateMachineDefinition<S, N, C>): void {
  const fail = (message: string): never => {
    throw new InvariantError(`invalid state machine: ${message}`);
  };
  const states = new Set(def.states);
  if (!states.has(def.initial)) fail(`initial state ${def.initial} is not a state`);
  const names = new Set<N>();
  for (const t of def.transitions) {
    if (names.has(t.name)) fail(`duplicate transition ${t.name}`);
    names.add(t.name);
    if (!states.has(t.to)) fail(`transition ${t.name} goes to unknown state ${t.to}`);
    for (const f of t.from) if (!states.has(f)) fail(`transition ${t.name} comes from unknown state ${f}`);
    if (t.from.length === 0) fail(`transition ${t.name} has no source state`);
  }
  for (const s of def.terminal) {
    if (!states.has(s)) fail(`terminal ${s} is not a state`);
    if (def.transitions.some((t) => t.from.includes(s))) fail(`terminal state ${s} has an exit`);
  }
  for (const s of def.states) {
    if (!def.terminal.includes(s) && !def.transitions.some((t) => t.from.includes(s))) {
      fail(`state ${s} is a dead end but not terminal`);
    }
  }
  const reached = new Set<S>([def.initial]);
  const queue: S[] = [def.initial];
  while (queue.length > 0) {
    const s = queue.shift() as S;
    for (const t of def.transitions) {
      if (t.from.includes(s) && !reached.has(t.to)) {
        reached.add(t.to);
        queue.push(t.to);
      }
    }
  }
  for (const s of def.states) if (!reached.has(s)) fail(`state ${s} is unreachable from ${def.initial}`);
}
