import {
  type ConversationRepositories,
  type ConversationState,
  type ConversationStore,
  freshConversation,
  trimHandledMessageIds,
} from '../ports/conversation-store.js';
import { ConcurrencyError } from '../shared/errors.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import type { StoreAccess } from './in-memory-store.js';

const CONVERSATIONS = 'conversations';

export class InMemoryConversationStore implements ConversationStore {
  constructor(private readonly db: StoreAccess) {}

  async get(phone: PhoneNumber, now: Date): Promise<ConversationState> {
    const stored = this.db.read().get<ConversationState>(CONVERSATIONS, phone.value);
    if (stored === undefined) return freshConversation(phone, now);
    if (stored.expiresAt.getTime() <= now.getTime()) return freshConversation(phone, now, stored);
    return stored;
  }

  async save(state: ConversationState): Promise<ConversationState> {
    return this.db.write((tx) => {
      const stored = tx.get<ConversationState>(CONVERSATIONS, state.phone.value);
      if ((stored?.version ?? 0) !== state.version) {
        throw new ConcurrencyError('conversation was changed by someone else', {
          expectedVersion: state.version,
          actualVersion: stored?.version ?? 0,
        });
      }
      const saved: ConversationState = {
        ...state,
        handledMessageIds: trimHandledMessageIds(state.handledMessageIds),
        version: state.version + 1,
      };
      tx.set(CONVERSATIONS, state.phone.value, saved);
      return saved;
    });
  }

  async delete(phone: PhoneNumber): Promise<boolean> {
    return this.db.write((tx) => {
      if (tx.get(CONVERSATIONS, phone.value) === undefined) return false;
      tx.delete(CONVERSATIONS, phone.value);
      return true;
    });
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    return this.db.write((tx) => {
      const gone = tx
        .values<ConversationState>(CONVERSATIONS)
        .filter((c) => c.expiresAt.getTime() < before.getTime())
        .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
        .slice(0, limit);
      for (const c of gone) tx.delete(CONVERSATIONS, c.phone.value);
      return gone.length;
    });
  }
}

export function inMemoryConversationRepositories(db: StoreAccess): ConversationRepositories {
  return { conversations: new InMemoryConversationStore(db) };
}
