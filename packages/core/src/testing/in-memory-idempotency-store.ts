import type {
  IdempotencyBegin,
  IdempotencyBeginInput,
  IdempotencyStore,
  StoredResponse,
} from '../ports/idempotency-store.js';
import type { InMemoryStore } from './in-memory-store.js';

const KEYS = 'idempotency_keys';

interface KeyRow {
  readonly fingerprint: string;
  readonly response: StoredResponse | null;
  readonly leaseUntil: Date | null;
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  constructor(private readonly store: InMemoryStore) {}

  async begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin> {
    const id = `${input.scope}\u0000${input.key}`;
    return this.store.transaction(async (tx) => {
      const row = tx.get<KeyRow>(KEYS, id);
      const lease = new Date(input.now.getTime() + input.leaseMs);
      if (!row) {
        tx.set(KEYS, id, { fingerprint: input.fingerprint, response: null, leaseUntil: lease });
        return { outcome: 'started' };
      }
      if (row.fingerprint !== input.fingerprint) return { outcome: 'mismatch' };
      if (row.response) return { outcome: 'replay', response: row.response };
      if (row.leaseUntil && row.leaseUntil.getTime() > input.now.getTime()) return { outcome: 'in_progress' };
      tx.set(KEYS, id, { ...row, leaseUntil: lease });
      return { outcome: 'started' };
    });
  }

  async complete(input: { scope: string; key: string; response: StoredResponse; now: Date }): Promise<void> {
    const id = `${input.scope}\u0000${input.key}`;
    await this.store.transaction(async (tx) => {
      const row = tx.get<KeyRow>(KEYS, id);
      if (row) tx.set(KEYS, id, { ...row, response: input.response, leaseUntil: null });
    });
  }

  async abandon(input: { scope: string; key: string }): Promise<void> {
    const id = `${input.scope}\u0000${input.key}`;
    await this.store.transaction(async (tx) => {
      const row = tx.get<KeyRow>(KEYS, id);
      if (row && !row.response) tx.delete(KEYS, id);
    });
  }
}
