import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VendorId } from '../shared/ids.js';
import { InMemoryCache } from '../testing/in-memory-cache.js';
import { ManualClock } from '../testing/manual-clock.js';
import { type RoutingReliability, ReliabilityCache } from './reliability-cache.js';

const A = '01950000-0000-7000-8000-00000000000a' as VendorId;
const B = '01950000-0000-7000-8000-00000000000b' as VendorId;
const C = '01950000-0000-7000-8000-00000000000c' as VendorId;

function setup(ttlMs = 60_000) {
  const clock = new ManualClock();
  const cache = new InMemoryCache(clock);
  const asked: VendorId[][] = [];
  let scores: Record<string, RoutingReliability> = {
    [A]: { score: 0.9, sampleSize: 40 },
    [B]: { score: 0.5, sampleSize: 3 },
  };
  const compute = async (ids: readonly VendorId[]) => {
    asked.push([...ids]);
    return new Map(ids.filter((id) => scores[id]).map((id) => [id, scores[id] as RoutingReliability]));
  };
  return {
    clock,
    cache,
    asked,
    compute,
    reliability: new ReliabilityCache(cache, { ttlMs }),
    rescore: (next: Record<string, RoutingReliability>) => {
      scores = next;
    },
  };
}

test('computes only the vendors it has not seen within the TTL; no history is remembered as no evidence', async () => {
  const s = setup();
  const first = await s.reliability.lookup([A, C, A], s.compute);
  assert.equal(
    [...first],
    [
      [A, { score: 0.9, sampleSize: 40 }],
      [C, { score: null, sampleSize: 0 }],
    ],
  );
  const second = await s.reliability.lookup([B, A, C], s.compute);
  assert.equal(second.get(B), { score: 0.5, sampleSize: 3 });
  assert.equal(second.get(A), { score: 0.9, sampleSize: 40 });
  assert.equal(s.asked, [[A, C], [B]], 'each vendor computed once');
});

test('after the TTL the value is computed again; a corrupt entry is a miss', async () => {
  const s = setup(1_000);
  await s.reliability.lookup([A], s.compute);
  s.rescore({ [A]: { score: 0.2, sampleSize: 41 } });
  assert.equal((await s.reliability.lookup([A], s.compute)).get(A)?.score, 0.9, 'within the TTL');
  s.clock.advance(1_000);
  assert.equal((await s.reliability.lookup([A], s.compute)).get(A)?.score, 0.2, 'after it');
  await s.cache.set(`routing:v1:reliability:${A}`, { score: 'high', sampleSize: 1 }, 60_000);
  assert.equal((await s.reliability.lookup([A], s.compute)).get(A), { score: 0.2, sampleSize: 41 });
  assert.is(s.asked.length, 3);
});

test.run();
