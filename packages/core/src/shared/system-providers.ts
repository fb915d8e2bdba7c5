import type { Clock } from './clock.js';
import type { IdGenerator, RandomSource } from './ids.js';
import { UuidV7Generator } from './uuid-v7.js';

/*
 * The process-level providers a service needs to run the use cases for real. They are
 * the implementations of core's Clock and IdGenerator ports, the one place in core that
 * reads the wall clock and the platform's CSPRNG; everything else receives them.
 */

/** Wall-clock time. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });

interface WebCrypto {
  getRandomValues<T extends Uint8Array>(bytes: T): T;
}

/** The Web Crypto CSPRNG every supported runtime has (Node ≥ 19, Deno, Bun, browsers) as `globalThis.crypto`. */
export function systemRandom(): RandomSource {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!crypto || typeof crypto.getRandomValues !== 'function') {
    throw new Error('no Web Crypto (globalThis.crypto.getRandomValues) in this runtime: pass your own RandomSource');
  }
  return { fill: (bytes) => crypto.getRandomValues(bytes) };
}

/** UUIDv7 ids from `clock` (default: the system clock) and the system CSPRNG. */
export function systemIds(clock: Clock = systemClock): IdGenerator {
  return new UuidV7Generator(clock, systemRandom());
}
