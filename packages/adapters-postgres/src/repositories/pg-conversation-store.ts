import {
  ConcurrencyError,
  type ConversationLanguage,
  type ConversationParty,
  type ConversationRepositories,
  type ConversationState,
  type ConversationStep,
  type ConversationStore,
  freshConversation,
  PhoneNumber,
  type RetailerId,
  trimHandledMessageIds,
  type VendorId,
} from '@khaacho/core';
import type { SqlSession } from '../sql/sql-session.js';
import { jsonParam, toDate, toSafeInt } from '../sql/row-values.js';
import { prepared } from '../sql/prepared-statements.js';

interface ConversationRow {
  phone: string;
  party_kind: string;
  party_id: string | null;
  language: string;
  step: ConversationStep;
  handled_message_ids: string[];
  updated_at: unknown;
  expires_at: unknown;
  version: unknown;
}

const BY_PHONE = prepared('select * from conversations where phone = $1');
const INSERT = prepared(
  `insert into conversations (phone, party_kind, party_id, language, step, handled_message_ids, updated_at,
     expires_at, version)
   values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9)
   on conflict (phone) do nothing`,
);
const UPDATE = prepared(
  `update conversations set party_kind = $2, party_id = $3, language = $4, step = $5::jsonb,
     handled_message_ids = $6::jsonb, updated_at = $7, expires_at = $8, version = $9
   where phone = $1 and version = $10`,
);

export class PgConversationStore implements ConversationStore {
  constructor(private readonly db: SqlSession) {}

  async get(phone: PhoneNumber, now: Date): Promise<ConversationState> {
    const [row] = await this.db.rows<ConversationRow>(BY_PHONE, [phone.value]);
    if (row === undefined) return freshConversation(phone, now);
    const state = toState(row);
    if (state.expiresAt.getTime() <= now.getTime()) return freshConversation(phone, now, state);
    return state;
  }

  async save(state: ConversationState): Promise<ConversationState> {
    const saved: ConversationState = {
      ...state,
      handledMessageIds: trimHandledMessageIds(state.handledMessageIds),
      version: state.version + 1,
    };
    const values = [
      saved.phone.value,
      saved.party.kind,
      saved.party.id,
      saved.language,
      jsonParam(saved.step),
      jsonParam(saved.handledMessageIds),
      saved.updatedAt,
      saved.expiresAt,
      saved.version,
    ];
    // Insert-if-absent and compare-and-set in one statement each: no read, so no race
    // between a check and the write.
    const changed =
      state.version === 0 ? await this.db.run(INSERT, values) : await this.db.run(UPDATE, [...values, state.version]);
    if (changed === 0) {
      throw new ConcurrencyError('conversation was changed by someone else', { expectedVersion: state.version });
    }
    return saved;
  }

  async delete(phone: PhoneNumber): Promise<boolean> {
    return (await this.db.run('delete from conversations where phone = $1', [phone.value])) > 0;
  }

  purgeExpired(before: Date, limit: number): Promise<number> {
    return this.db.run(
      `delete from conversations where phone in (
         select phone from conversations where expires_at < $1
         order by expires_at limit $2 for update skip locked)`,
      [before, limit],
    );
  }
}

function toParty(kind: string, id: string | null): ConversationParty {
  if (kind === 'retailer' && id !== null) return { kind, id: id as RetailerId };
  if (kind === 'vendor' && id !== null) return { kind, id: id as VendorId };
  return { kind: 'unknown', id: null };
}

function toState(row: ConversationRow): ConversationState {
  return {
    phone: PhoneNumber.fromStored(row.phone),
    party: toParty(row.party_kind, row.party_id),
    language: row.language as ConversationLanguage,
    step: row.step,
    handledMessageIds: row.handled_message_ids,
    updatedAt: toDate(row.updated_at),
    expiresAt: toDate(row.expires_at),
    version: toSafeInt(row.version),
  };
}

export function createPgConversationRepositories(db: SqlSession): ConversationRepositories {
  return { conversations: new PgConversationStore(db) };
}
