import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { UuidV7Generator } from '../shared/uuid-v7.js';
import { SeededRandom } from '../shared/seeded-random.js';

/** Valid, time-ordered UUIDv7s that repeat from run to run for the same clock and seed. */
export function deterministicIds(clock: Clock, seed = 1): IdGenerator {
  return new UuidV7Generator(clock, new SeededRandom(seed));
}
