/*
 * SQL round trips of this process, counted per normalized statement: every `pg.Client#query`
 * (MikroORM's pool, the outbox/inbox adapters, LISTEN: all go through it; embedded mode's
 * PGlite is reached through the same driver over its socket). Counting is on only between
 * `start()` and `stop()`, so set-up and demo data are left out.
 */
import pg from 'pg';

export interface SqlCount {
  readonly statement: string;
  readonly count: number;
  /** Characters sent: the statement's text and its parameters'. */
  readonly chars: number;
}

export interface SqlCounter {
  start(): void;
  stop(): void;
  total(): number;
  /** Heaviest first. */
  top(n: number): readonly SqlCount[];
  /** The first statements counted, in order, each with its connection's number (`trace` of install). */
  trace(): readonly string[];
}

/** Literals and placeholders out, whitespace collapsed, long lists and texts shortened. */
export function normalizeSql(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+\b/g, '?')
    .replace(/\((?:\s*\?\s*,)+\s*\?\s*\)/g, '(?…)')
    .replace(/(?:\(\?…\)\s*,\s*)+\(\?…\)/g, '(?…)…')
    .trim()
    .slice(0, 160);
}

/** Counts by key with the characters sent; on only between `start()` and `stop()`. */
function tally(trace: () => readonly string[]) {
  const counts = new Map<string, { count: number; chars: number }>();
  let on = false;
  const counter: SqlCounter = {
    start: () => {
      on = true;
    },
    stop: () => {
      on = false;
    },
    total: () => [...counts.values()].reduce((a, b) => a + b.count, 0),
    top: (n) =>
      [...counts.entries()]
        .map(([statement, c]) => ({ statement, ...c }))
        .sort((a, b) => b.count - a.count)
        .slice(0, n),
    trace,
  };
  return {
    counter,
    isOn: () => on,
    add(key: string, chars: number) {
      const c = counts.get(key) ?? { count: 0, chars: 0 };
      c.count += 1;
      c.chars += chars;
      counts.set(key, c);
    },
  };
}

export function installSqlCounter(traceLength = 0): SqlCounter {
  const traced: string[] = [];
  const { counter, isOn, add } = tally(() => traced);
  const normalized = new Map<string, string>();
  const connections = new WeakMap<object, number>();
  let connectionCount = 0;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function counted(this: unknown, ...args: unknown[]) {
    if (isOn()) {
      const q = args[0];
      const text = typeof q === 'string' ? q : (q as { text?: unknown } | null)?.text;
      if (typeof text === 'string') {
        // Statements are few and repeated: normalized once each, so counting costs little.
        let key = normalized.get(text);
        if (key === undefined) {
          key = normalizeSql(text);
          if (normalized.size < 10_000) normalized.set(text, key);
        }
        if (traced.length < traceLength) {
          const self = this as object;
          if (!connections.has(self)) connections.set(self, ++connectionCount);
          traced.push(`#${connections.get(self) ?? 0} ${key.slice(0, 110)}`);
        }
        const values = Array.isArray(args[1]) ? args[1] : (q as { values?: unknown } | null)?.values;
        let chars = text.length;
        if (Array.isArray(values)) for (const v of values) chars += typeof v === 'string' ? v.length : String(v).length;
        add(key, chars);
      }
    }
    return original.apply(this, args);
  };
  return counter;
}

/**
 * Redis commands of this process by name, counted the same way: `client` is any ioredis
 * client of the composition; its class's `sendCommand` is wrapped, so bee-queue's duplicated
 * clients are counted too.
 */
export function installRedisCounter(client: object): SqlCounter {
  const proto = Object.getPrototypeOf(client) as { sendCommand: (...args: unknown[]) => unknown };
  const { counter, isOn, add } = tally(() => []);
  const original = proto.sendCommand;
  proto.sendCommand = function counted(this: unknown, ...args: unknown[]) {
    if (isOn()) {
      const command = args[0] as { name?: string; args?: unknown[] } | undefined;
      const key = String(command?.name ?? '?');
      let chars = 0;
      for (const a of command?.args ?? [])
        chars += typeof a === 'string' ? a.length : Buffer.isBuffer(a) ? a.length : 8;
      add(key, chars);
    }
    return original.apply(this, args);
  };
  return counter;
}
