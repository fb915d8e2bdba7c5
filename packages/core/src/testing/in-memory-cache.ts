import type { Clock } from '../shared/clock.js';
import type { JsonValue } from '../shared/domain-event.js';
import type { Cache } from '../ports/cache.js';

/** A TTL cache on the clock port; bounded so a long-running embedded process cannot grow without end. */
export class InMemoryCache implements Cache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get<T extends JsonValue>(key: string): Promise<T | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return null;
    }
    // Stored as JSON so callers get a copy, exactly as from Redis.
    return JSON.parse(e.value) as T;
  }

  async set(key: string, value: JsonValue, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value: JSON.stringify(value), expiresAt: this.clock.now().getTime() + ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
