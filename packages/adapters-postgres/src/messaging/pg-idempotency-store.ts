import type {
  IdempotencyBegin,
  IdempotencyBeginInput,
  IdempotencyStore,
  JsonValue,
  StoredResponse,
} from '@khaacho/core';
import { jsonParam, toDateOrNull } from '../sql/row-values.js';
import { prepared } from '../sql/prepared-statements.js';
import type { SqlSession } from '../sql/sql-session.js';

interface KeyRow {
  fingerprint: string;
  response_status: number | null;
  response_body: JsonValue;
  lease_until: unknown;
}

export class PgIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: SqlSession) {}

  async begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin> {
    const lease = new Date(input.now.getTime() + input.leaseMs);
    // The common case, a new key, is one statement on its own (atomic without a transaction:
    // no begin/commit round trips). Only a key that exists already needs the locked read.
    const inserted = await this.db.run(
      prepared(`insert into idempotency_keys (scope, key, fingerprint, lease_until, created_at)
       values ($1, $2, $3, $4, $5) on conflict (scope, key) do nothing`),
      [input.scope, input.key, input.fingerprint, lease, input.now],
    );
    if (inserted === 1) return { outcome: 'started' };
    return this.db.atomic(async (tx) => {
      // Lock the existing key so two requests cannot both take over an expired lease.
      const [row] = await tx.rows<KeyRow>(
        'select fingerprint, response_status, response_body, lease_until from idempotency_keys where scope = $1 and key = $2 for update',
        [input.scope, input.key],
      );
      // Gone since the insert (abandoned): the caller retries, as when it is held.
      if (!row) return { outcome: 'in_progress' };
      if (row.fingerprint !== input.fingerprint) return { outcome: 'mismatch' };
      if (row.response_status !== null) {
        const response: StoredResponse = { status: row.response_status, body: row.response_body };
        return { outcome: 'replay', response };
      }
      const held = toDateOrNull(row.lease_until);
      if (held && held.getTime() > input.now.getTime()) return { outcome: 'in_progress' };
      await tx.run('update idempotency_keys set lease_until = $3 where scope = $1 and key = $2', [
        input.scope,
        input.key,
        lease,
      ]);
      return { outcome: 'started' };
    });
  }

  async complete(input: { scope: string; key: string; response: StoredResponse; now: Date }): Promise<void> {
    await this.db.run(
      prepared(`update idempotency_keys set response_status = $3, response_body = $4::jsonb, lease_until = null, completed_at = $5
       where scope = $1 and key = $2`),
      [input.scope, input.key, input.response.status, jsonParam(input.response.body), input.now],
    );
  }

  async abandon(input: { scope: string; key: string }): Promise<void> {
    await this.db.run('delete from idempotency_keys where scope = $1 and key = $2 and response_status is null', [
      input.scope,
      input.key,
    ]);
  }
}
