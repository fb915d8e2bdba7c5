import type { IdempotencyStore } from '../../ports/idempotency-store.js';
import type { OutboundMessageLog } from '../../ports/outbound-message-log.js';
import type { Outbox } from '../../ports/outbox.js';
import type { Repositories } from '../../ports/repositories.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { WebhookInbox } from '../../ports/webhook-inbox.js';
import type { IdGenerator } from '../../shared/ids.js';
import { deterministicIds } from '../deterministic-ids.js';
import { ManualClock } from '../manual-clock.js';

/** Every persistence port of one backend, freshly emptied for each contract case. */
export interface PersistenceSubject {
  readonly repos: Repositories;
  readonly uow: UnitOfWork;
  readonly outbox: Outbox;
  readonly inbox: WebhookInbox;
  readonly idempotency: IdempotencyStore;
  readonly outboundLog: OutboundMessageLog;
}

/** Clock and ids for one case: deterministic, and independent of the backend's own. */
export function caseTools(seed = 7): { clock: ManualClock; ids: IdGenerator; now: Date } {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  return { clock, ids: deterministicIds(clock, seed), now: clock.now() };
}
