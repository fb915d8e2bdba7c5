import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { oneEventOfEachType } from './event-samples.js';
import { deterministicIds } from './deterministic-ids.js';
import { createInMemoryPersistence } from './in-memory-persistence.js';
import type { StoredOutboxEvent } from './in-memory-outbox.js';
import { ManualClock } from './manual-clock.js';

interface Row {
  readonly id: string;
  readonly event: StoredOutboxEvent;
}

function setup() {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  const p = createInMemoryPersistence(deterministicIds(clock, 3));
  return { clock, p, rows: () => p.store.committed.values<Row>('outbox') };
}

test('the in-memory outbox keeps events as JSON text, like the PostgreSQL one', async () => {
  const { clock, p, rows } = setup();
  const placed = oneEventOfEachType(clock.now())['order.placed'];
  await p.uow.run((tx) => tx.outbox.append([placed]));
  const [row] = rows();
  assert.type(row?.event.payloadJson, 'string');
  assert.equal(JSON.parse(row?.event.payloadJson ?? 'null'), placed.payload);
});

test('issue 8 #12: a stored row of a type this code does not know is not handed out as a catalog event', async () => {
  const { clock, p, rows } = setup();
  const now = clock.now();
  const samples = oneEventOfEachType(now);
  await p.uow.run((tx) => tx.outbox.append([samples['order.offer_expired'], samples['order.placed']]));
  // What a newer version (or a hand-written row) left behind: a type missing from this catalog.
  const [newer] = rows();
  await p.store.transaction(async (tx) => {
    tx.set('outbox', newer?.id ?? '', { ...newer, event: { ...newer?.event, type: 'order.teleported' } });
  });

  const claimed = await p.outbox.claim({ limit: 10, leaseMs: 30_000, now });
  assert.equal(
    claimed.map((m) => m.event.type),
    ['order.placed'],
    'only the readable event',
  );
  const stats = await p.outbox.stats(now);
  assert.equal([stats.pending, stats.failing], [2, 1], 'the unknown one stays pending, and failing');
  const kept = p.store.committed.get<{ lastError: string | null; attempts: number }>('outbox', newer?.id ?? '');
  assert.match(kept?.lastError ?? '', /^unreadable event: event "order\.teleported": type not in the catalog/);

  await p.outbox.markPublished(
    claimed.map((m) => m.id),
    now,
  );
  const later = new Date(now.getTime() + 30_000);
  assert.equal(await p.outbox.claim({ limit: 10, leaseMs: 30_000, now: later }), [], 'refused again after its lease');
  assert.is(p.store.committed.get<{ attempts: number }>('outbox', newer?.id ?? '')?.attempts, 2);
});

test.run();
