import type { Clock, IdGenerator, UnitOfWork } from '@khaacho/core';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/**
 * Ids that depend only on (clock time, step, slot, counter): UUIDv7-shaped, time-ordered,
 * and the same in both worlds however two concurrent commands interleave. Each command
 * gets its own scope (`scoped`), and a unit of work that re-runs its work (a retried
 * version conflict in PostgreSQL) rewinds the scope, so a retry draws the ids the first
 * attempt drew, as the in-memory world, which never retries, does.
 */
export class ScopedIds implements IdGenerator {
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly step: number,
    private readonly slot: number,
  ) {}

  next(): string {
    const ms = hex(this.clock.now().getTime(), 12);
    const n = this.counter++;
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex(this.step, 3)}-${(8 + this.slot).toString(16)}${hex(n >> 24, 3)}-${hex(n, 12)}`;
  }

  mark(): number {
    return this.counter;
  }

  rewind(mark: number): void {
    this.counter = mark;
  }
}

/** The unit of work with retries made id-neutral for one command's scope (see `ScopedIds`). */
export function rewindingUnitOfWork(inner: UnitOfWork, ids: ScopedIds): UnitOfWork {
  return {
    run(work, options) {
      let mark: number | undefined;
      return inner.run((tx) => {
        if (mark === undefined) mark = ids.mark();
        else ids.rewind(mark);
        return work(tx);
      }, options);
    },
  };
}
