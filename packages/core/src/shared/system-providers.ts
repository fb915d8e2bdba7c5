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

/** Bytes taken from the CSPRNG per call when filling small requests (Web Crypto's per-call cap is 65,536). */
const POOL_BYTES = 4_096;

/**
 * The Web Crypto CSPRNG every supported runtime has (Node ≥ 19, Deno, Bun, browsers) as
 * `globalThis.crypto`. Small requests (an id's 16 bytes) are served from a pool of CSPRNG
 * bytes refilled 4 KiB at a time: one call into the platform per 256 ids instead of one each
 * (~3% of a webhook delivery's CPU). Every byte is handed out once and the pool is zeroed as
 * it is used, so the output is as unpredictable as the CSPRNG's own.
 */
export function systemRandom(): RandomSource {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!crypto || typeof crypto.getRandomValues !== 'function') {
    throw new Error('no Web Crypto (globalThis.crypto.getRandomValues) in this runtime: pass your own RandomSource');
  }
  const pool = new Uint8Array(POOL_BYTES);
  let used = POOL_BYTES;
  return {
    fill: (bytes) => {
      if (bytes.length > POOL_BYTES / 4) return crypto.getRandomValues(bytes);
      if (used + bytes.length > POOL_BYTES) {
        crypto.getRandomValues(pool);
        used = 0;
      }
      const end = used + bytes.length;
      bytes.set(pool.subarray(used, end));
      pool.fill(0, used, end);
      used = end;
      return bytes;
    },
  };
}

/** UUIDv7 ids from `clock` (default: the system clock) and the system CSPRNG. */
export function systemIds(clock: Clock = systemClock): IdGenerator {
  return new UuidV7Generator(clock, systemRandom());
}
