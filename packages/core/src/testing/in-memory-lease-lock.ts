import type { Lease, LeaseLock } from '../ports/lease-lock.js';
import type { Clock } from '../shared/clock.js';

/** Leases in one process, on the clock port: enough for the embedded single-instance mode and tests. */
export class InMemoryLeaseLock implements LeaseLock {
  private readonly held = new Map<string, { token: number; expiresAt: number }>();
  private nextToken = 1;

  constructor(private readonly clock: Clock) {}

  async acquire(name: string, ttlMs: number): Promise<Lease | null> {
    const now = this.clock.now().getTime();
    const current = this.held.get(name);
    if (current && current.expiresAt > now) return null;
    const token = this.nextToken++;
    this.held.set(name, { token, expiresAt: now + ttlMs });
    return this.lease(name, token, now + ttlMs);
  }

  private lease(name: string, token: number, expiresAt: number): Lease {
    const mine = () => {
      const h = this.held.get(name);
      return h !== undefined && h.token === token && h.expiresAt > this.clock.now().getTime() ? h : null;
    };
    let expiry = new Date(expiresAt);
    return {
      name,
      get expiresAt() {
        return expiry;
      },
      extend: async (ttlMs) => {
        const h = mine();
        if (!h) return false;
        h.expiresAt = this.clock.now().getTime() + ttlMs;
        expiry = new Date(h.expiresAt);
        return true;
      },
      release: async () => {
        if (!mine()) return false;
        this.held.delete(name);
        return true;
      },
    };
  }
}
