import { type ModelCommand, type ModelStep, UNKNOWN_FROM } from '@khaacho/core/testing/arbitraries';
import { emptyRegistry, interpret, type Observed, pendingVendorOf, type Registry } from './interpreter.js';
import { drainOutbox, firstDifference, observe, type Touched } from './observe.js';
import type { DiffWorld } from './worlds.js';

/** The adapters disagree, or a world broke a ledger invariant: the message says where and after what. */
export class Disagreement extends Error {
  override readonly name = 'Disagreement';
}

interface Executed {
  readonly cmd: ModelCommand;
  readonly step: number;
  readonly slot: number;
}

/** Commands issued as one step: a pair runs together (Promise.all) or, to try a serial order, one after the other. */
interface Batch {
  readonly commands: readonly Executed[];
  readonly together: boolean;
}

/** One side's run so far: its registry and the batches it executed, in their order. */
class Side {
  registry: Registry = emptyRegistry();
  history: Batch[] = [];
  constructor(readonly world: DiffWorld) {}

  async reset(): Promise<void> {
    this.registry = emptyRegistry();
    this.history = [];
    await this.world.reset();
  }

  /**
   * Run a batch; results in slot order. Every command of the batch names parties, orders and
   * the pending vendor (`vendor: −1`) by the state before the batch (what it creates is
   * registered after), as the two commands of a pair issued at once do, whichever order
   * they run in.
   */
  async run(commands: readonly Executed[], together: boolean): Promise<Observed[]> {
    const pending = await Promise.all(commands.map((e) => pendingVendorOf(this.world, this.registry, e.cmd)));
    const go = (e: Executed, i: number) => interpret(this.world, this.registry, e.cmd, e.step, e.slot, pending[i]);
    const results = together ? await Promise.all(commands.map(go)) : [];
    if (!together) for (const [i, e] of commands.entries()) results.push(await go(e, i));
    const bySlot = commands.map((e, i) => ({ e, r: results[i] as Awaited<ReturnType<typeof go>> }));
    bySlot.sort((a, b) => a.e.slot - b.e.slot);
    for (const { r } of bySlot) if (r.created) this.registry[r.created.into].push(r.created.id);
    this.history.push({ commands, together });
    return bySlot.map(({ r }) => r.observed);
  }

  /**
   * The in-memory world again, from empty, through `history` batch by batch, each as it
   * ran (a pair together or in its serial order). Not command by command: a pair's second
   * command would then see the first one's creations in the registry and could name
   * another order than it did (the soak's seed -392509895 caught that, regressions.ts).
   */
  async replay(history: readonly Batch[]): Promise<void> {
    await this.reset();
    for (const b of history) await this.run(b.commands, b.together);
    await drainOutbox(this.world); // what the replay re-published was compared when it first ran
  }
}

const indexOf = (list: readonly string[], i: number) =>
  i >= UNKNOWN_FROM || list.length === 0 ? [] : [list[((i % list.length) + list.length) % list.length] as string];

function touched(cmds: readonly ModelCommand[], r: Registry): Touched {
  const orders = new Set<string>();
  const retailers = new Set<string>();
  const vendors = new Set<string>();
  for (const c of cmds) {
    if ('retailer' in c) for (const id of indexOf(r.retailers, c.retailer)) retailers.add(id);
    if ('order' in c) for (const id of indexOf(r.orders, c.order)) orders.add(id);
    if (c.kind === 'place' || c.kind === 'registerRetailer') for (const id of r.orders.slice(-2)) orders.add(id);
    if (c.kind === 'registerRetailer') for (const id of r.retailers.slice(-2)) retailers.add(id);
    if (c.kind === 'registerVendor') for (const id of r.vendors.slice(-2)) vendors.add(id);
    if (c.kind === 'expire' || c.kind === 'advance') for (const id of r.orders) orders.add(id);
  }
  return { orders: [...orders], retailers: [...retailers], vendors: [...vendors] };
}

const everything = (r: Registry): Touched => ({ orders: r.orders, retailers: r.retailers, vendors: r.vendors });

/**
 * Run `steps` on both worlds side by side, comparing after every step the results, the
 * state the step touched, the ledger invariants and the outbox events; at the end, the
 * state of everything. A concurrent pair passes when PostgreSQL's results and state equal
 * the in-memory world's under either serial order of the two (the race may go either way).
 * Returns the number of commands run; throws a Disagreement.
 */
export async function runSequence(
  steps: readonly ModelStep[],
  memory: DiffWorld,
  postgres: DiffWorld,
): Promise<number> {
  const m = new Side(memory);
  const p = new Side(postgres);
  await Promise.all([m.reset(), p.reset()]);
  let commands = 0;
  const fail = (i: number, what: string): never => {
    throw new Disagreement(`${what}\nafter step ${i}, sequence so far:\n${JSON.stringify(steps.slice(0, i + 1))}`);
  };
  for (const [i, step] of steps.entries()) {
    const together = step.kind === 'concurrent';
    const batch: Executed[] = together
      ? [
          { cmd: step.first, step: i + 1, slot: 0 },
          { cmd: step.second, step: i + 1, slot: 1 },
        ]
      : [{ cmd: step, step: i + 1, slot: 0 }];
    commands += batch.length;
    const before = m.history.slice();
    const pResults = await p.run(batch, together);
    // A pair's events may be recorded in either order; their contents still say which ran first
    // (an offer's previous price), so the outbox is part of what a serial order must match.
    const sorted = (events: unknown[]) => (together ? events.map((e) => JSON.stringify(e)).sort() : events);
    const pEvents = sorted(await drainOutbox(p.world));
    const compare = async (mResults: Observed[]) => {
      const scope = touched(
        batch.map((e) => e.cmd),
        m.registry,
      );
      const [ms, ps] = await Promise.all([observe(m.world, scope), observe(p.world, scope)]);
      for (const v of [...ms.violations.map((x) => `memory ${x}`), ...ps.violations.map((x) => `postgres ${x}`)])
        fail(i, `ledger invariant broken: ${v}`);
      const mEvents = sorted(await drainOutbox(m.world));
      return (
        firstDifference(mResults, pResults, '$.results') ??
        firstDifference(m.registry, p.registry, '$.registry') ??
        firstDifference(ms.state, ps.state, '$.state') ??
        firstDifference(mEvents, pEvents, '$.outbox')
      );
    };
    const mResults = await m.run(batch, together);
    let diff = await compare(mResults);
    const brief = (r: Observed[]) => JSON.stringify(r.map((o) => ('ok' in o ? 'ok' : o))).slice(0, 600);
    if (diff) diff += `\nresults: memory ${brief(mResults)}, postgres ${brief(pResults)}`;
    if (diff && together) {
      // PostgreSQL may have serialised the pair the other way round: try both serial orders in memory.
      for (const order of [[batch[1], batch[0]] as Executed[], batch]) {
        await m.replay(before);
        const results = await m.run(order, false);
        const again = await compare(results);
        if (!again) {
          diff = null;
          break;
        }
        diff += `\nserial ${order.map((e) => e.slot).join(',')} in memory: ${again}; memory ${brief(results)}`;
      }
    }
    if (diff) fail(i, `results, state or outbox events differ: ${diff}`);
  }
  const [ms, ps] = await Promise.all([
    observe(m.world, everything(m.registry)),
    observe(p.world, everything(p.registry)),
  ]);
  const diff = firstDifference(ms.state, ps.state, '$.final');
  if (diff) fail(steps.length - 1, `final state differs: ${diff}`);
  for (const side of [m, p]) {
    const numbers = await Promise.all(
      side.registry.orders.map(async (id) => (await side.world.repos.orders.get(id as never))?.number),
    );
    if (new Set(numbers).size !== numbers.length || !numbers.every((n) => /^KH-\d{6,}$/.test(n ?? '')))
      fail(steps.length - 1, `${side.world.name}: order numbers not distinct: ${numbers.join()}`);
  }
  return commands;
}
