import type { Clock, WebhookInbox } from '@khaacho/core';

export interface InboxMarksStatus {
  /** Events marked processed. */
  readonly marked: number;
  /** Marks whose UPDATE failed (each told to its caller, which marks the event failed). */
  readonly failed: number;
  /** UPDATEs run (each for one or many events). */
  readonly writes: number;
}

interface Pending {
  readonly id: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * An inbox processor's "processed" marks, written as a group commit: the first mark starts a
 * round on the next turn of the event loop, and every mark made while a round's UPDATE runs
 * goes into the next one. So the events of a pass that finish together (a batch of status
 * callbacks, chats side by side) are marked by one `markAllProcessed` instead of one UPDATE each.
 *
 * A mark's promise settles with its round: the caller goes on (to its chat's next event) only
 * once its event is marked, as with a single UPDATE, and a failed round rejects each of its
 * marks so that each event takes the failure path it would have taken alone. An event handled
 * but not marked yet (the process died before its round) is PROCESSING with a lease: after it,
 * the event is claimed again and handled again, which changes nothing (message handling is
 * idempotent per event id, a status never moves back, alerts go out once per event).
 */
export class InboxMarks {
  private buffer: Pending[] = [];
  /** The round the next mark joins (not started yet). */
  private nextRound: Promise<void> | null = null;
  /** The round whose UPDATE is running. */
  private inFlight: Promise<void> | null = null;
  private counts = { marked: 0, failed: 0, writes: 0 };

  constructor(
    private readonly deps: { readonly inbox: WebhookInbox; readonly clock: Clock },
    private readonly maxBatch = 500,
  ) {}

  /** Marks the event processed with the next round; resolves once written, rejects if that UPDATE failed. */
  mark(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ id, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every mark made so far is written or has failed. */
  async flush(): Promise<void> {
    while (this.nextRound || this.inFlight) await (this.nextRound ?? this.inFlight);
  }

  status(): InboxMarksStatus {
    return { ...this.counts };
  }

  private schedule(): void {
    if (this.nextRound) return;
    // After the running round, or on the next turn (marks of events finishing together share it).
    const before = this.inFlight ?? new Promise<void>((resolve) => setImmediate(resolve));
    this.nextRound = before.then(() => this.round());
  }

  private async round(): Promise<void> {
    this.nextRound = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    const write = this.write(batch);
    this.inFlight = write;
    try {
      await write;
    } finally {
      if (this.inFlight === write) this.inFlight = null;
    }
  }

  /** Never rejects: each mark's own promise carries its outcome. */
  private async write(batch: readonly Pending[]): Promise<void> {
    for (let i = 0; i < batch.length; i += this.maxBatch) {
      const chunk = batch.slice(i, i + this.maxBatch);
      this.counts.writes += 1;
      try {
        await this.deps.inbox.markAllProcessed(
          chunk.map((p) => p.id),
          this.deps.clock.now(),
        );
      } catch (error) {
        this.counts.failed += chunk.length;
        for (const p of chunk) p.reject(error);
        continue;
      }
      this.counts.marked += chunk.length;
      for (const p of chunk) p.resolve();
    }
  }
}
