import type { Clock } from './clock.js';
import type { IdGenerator, RandomSource } from './ids.js';

/** Two hex digits per byte value: the id's 16 bytes are formatted per request on hot paths. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * RFC 9562 UUIDv7: 48-bit unix-ms timestamp, then random bits. Time-ordered ids keep
 * B-tree inserts append-mostly and make cursor pagination by id follow creation order.
 * Within one millisecond a 12-bit counter (rand_a) keeps ids monotonic.
 */
export class UuidV7Generator implements IdGenerator {
  private lastMs = -1;
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  next(): string {
    let ms = this.clock.now().getTime();
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.counter += 1;
      if (this.counter > 0xfff) {
        ms += 1;
        this.counter = 0;
      }
    } else {
      this.counter = 0;
    }
    this.lastMs = ms;
    const bytes = this.random.fill(new Uint8Array(16));
    let t = ms;
    for (let i = 5; i >= 0; i--) {
      bytes[i] = t % 256;
      t = Math.floor(t / 256);
    }
    bytes[6] = 0x70 | ((this.counter >> 8) & 0x0f);
    bytes[7] = this.counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    let hex = '';
    for (const b of bytes) hex += HEX[b];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
