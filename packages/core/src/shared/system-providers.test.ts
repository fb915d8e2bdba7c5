import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemIds, systemRandom } from './system-providers.js';

/** globalThis.crypto replaced by a counting stub for the run of `body`: byte n of its output is n mod 256. */
function withCountingCrypto(body: (calls: number[]) => void): void {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const calls: number[] = [];
  let next = 0;
  Object.defineProperty(globalThis, 'crypto', {
    configurable: true,
    value: {
      getRandomValues<T extends Uint8Array>(bytes: T): T {
        calls.push(bytes.length);
        for (let i = 0; i < bytes.length; i++) bytes[i] = next++ % 256;
        return bytes;
      },
    },
  });
  try {
    body(calls);
  } finally {
    if (original) Object.defineProperty(globalThis, 'crypto', original);
  }
}

test('systemRandom serves small fills from a pool: one CSPRNG call per 4 KiB, every byte handed out once', () => {
  withCountingCrypto((calls) => {
    const random = systemRandom();
    const seen: number[] = [];
    for (let i = 0; i < 257; i++) seen.push(...random.fill(new Uint8Array(16)));
    // 256 ids' worth from the first 4 KiB, the 257th from a refill.
    assert.equal(calls, [4_096, 4_096]);
    // In order, none repeated or skipped: the stream is the CSPRNG's own.
    assert.equal(
      seen,
      Array.from({ length: 257 * 16 }, (_, n) => n % 256),
    );
  });
});

test('systemRandom: a large fill goes to the CSPRNG directly; ids stay distinct version-7 UUIDs', () => {
  withCountingCrypto((calls) => {
    const random = systemRandom();
    assert.is(random.fill(new Uint8Array(2_048)).length, 2_048);
    assert.equal(calls, [2_048]);
  });
  const ids = systemIds();
  const many = new Set(Array.from({ length: 1_000 }, () => ids.next()));
  assert.is(many.size, 1_000);
  for (const id of many) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test.run();
