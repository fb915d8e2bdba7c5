import { AsyncMutex } from './async-mutex.js';

const DELETED: unique symbol = Symbol('deleted');
type Pending = Map<string, Map<string, unknown>>;

/**
 * Tables of plain immutable values plus transactions with read-committed isolation:
 * a transaction's writes live in its own overlay (it reads its own writes) and reach
 * the tables only at commit. Transactions are serialised by one mutex, which gives the
 * in-memory adapter the semantics of `SELECT … FOR UPDATE` on every row at once.
 */
export class InMemoryStore {
  private readonly tables = new Map<string, Map<string, unknown>>();
  private readonly mutex = new AsyncMutex();
  private readonly counters = new Map<string, number>();

  table(name: string): Map<string, unknown> {
    let t = this.tables.get(name);
    if (!t) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  async transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => {
      const tx = new StoreTx(this);
      const result = await work(tx);
      tx.commit();
      return result;
    });
  }

  /** A sequence that is never rolled back (like a PostgreSQL sequence). */
  nextValue(sequence: string): number {
    const v = (this.counters.get(sequence) ?? 0) + 1;
    this.counters.set(sequence, v);
    return v;
  }

  /** Reads outside any transaction see committed data only. */
  readonly committed: StoreReader = {
    get: <T>(table: string, key: string) => this.table(table).get(key) as T | undefined,
    values: <T>(table: string) => [...this.table(table).values()] as T[],
  };
}

export interface StoreReader {
  get<T>(table: string, key: string): T | undefined;
  values<T>(table: string): T[];
}

export class StoreTx implements StoreReader {
  private readonly pending: Pending = new Map();
  private done = false;

  constructor(private readonly store: InMemoryStore) {}

  get<T>(table: string, key: string): T | undefined {
    const p = this.pending.get(table)?.get(key);
    if (p === DELETED) return undefined;
    if (p !== undefined) return p as T;
    return this.store.table(table).get(key) as T | undefined;
  }

  values<T>(table: string): T[] {
    const base = this.store.table(table);
    const overlay = this.pending.get(table);
    if (!overlay) return [...base.values()] as T[];
    const out: unknown[] = [];
    for (const [k, v] of base) {
      const o = overlay.get(k);
      if (o === undefined) out.push(v);
      else if (o !== DELETED) out.push(o);
    }
    for (const [k, o] of overlay) if (!base.has(k) && o !== DELETED) out.push(o);
    return out as T[];
  }

  set(table: string, key: string, value: unknown): void {
    this.assertOpen();
    let t = this.pending.get(table);
    if (!t) {
      t = new Map();
      this.pending.set(table, t);
    }
    t.set(key, value);
  }

  delete(table: string, key: string): void {
    this.set(table, key, DELETED);
  }

  nextValue(sequence: string): number {
    return this.store.nextValue(sequence);
  }

  commit(): void {
    this.assertOpen();
    this.done = true;
    for (const [name, rows] of this.pending) {
      const t = this.store.table(name);
      for (const [k, v] of rows) {
        if (v === DELETED) t.delete(k);
        else t.set(k, v);
      }
    }
  }

  private assertOpen(): void {
    if (this.done) throw new Error('transaction already finished');
  }
}

/**
 * How repositories reach the store: inside a unit of work they share its transaction;
 * outside, every write runs in a transaction of its own.
 */
export interface StoreAccess {
  read(): StoreReader;
  write<T>(work: (tx: StoreTx) => T | Promise<T>): Promise<T>;
}

export function autoCommitAccess(store: InMemoryStore): StoreAccess {
  return {
    read: () => store.committed,
    write: (work) => store.transaction(async (tx) => work(tx)),
  };
}

export function transactionAccess(tx: StoreTx): StoreAccess {
  return {
    read: () => tx,
    write: async (work) => work(tx),
  };
}
