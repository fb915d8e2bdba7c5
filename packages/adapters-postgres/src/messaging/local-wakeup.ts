import type { OutboxWakeup } from '@khaacho/core';

/** What a store tells after a commit that wrote rows someone may be waiting for. */
export interface CommitSignal {
  poke(): void;
}

/**
 * Embedded PostgreSQL's wake-ups, in the process. PGlite serves one connection (held by the
 * pool), so nothing can LISTEN there, and a `pg_notify` would be one more statement on that
 * one connection for no one. The webhook, the use cases and the worker share the process in
 * embedded mode, so a commit wakes the inbox processor or the outbox relay directly instead
 * of leaving its rows to the next poll. Coalesced: one wake-up per turn of the event loop
 * however many commits; hints only, as LISTEN/NOTIFY's are (the pollers still poll).
 */
export class LocalWakeup implements OutboxWakeup, CommitSignal {
  private readonly listeners = new Set<() => void>();
  private pending = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  poke(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
