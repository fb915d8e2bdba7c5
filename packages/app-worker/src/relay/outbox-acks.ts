import type { Clock, Logger, Outbox } from '@khaacho/core';

export interface OutboxAcksStatus {
  /** Messages marked published at their job's success by this process. */
  readonly acked: number;
  /** Acks whose UPDATE failed (logged; the relay marks those messages after their lease). */
  readonly failed: number;
  /** UPDATEs run (each for one or many ids). */
  readonly writes: number;
}

export interface OutboxAcksOptions {
  /** Ids per UPDATE at most (default 500); a larger backlog is written in several. */
  readonly maxBatch?: number;
}

/**
 * Completion acks of outbox messages (the job whose id is the message id succeeded), written
 * as a group commit: the first ack starts a round on the next turn of the event loop, and
 * every ack that comes while a round's UPDATE runs goes into the next one. So an idle worker
 * acks at once, and a busy one writes one `markPublished` for many jobs instead of one per
 * job — this is on the path of every message.
 *
 * The ack is by message id, so any process may ack a message another process's relay
 * enqueued. A lost ack (the process died before the round, or the UPDATE failed) only delays
 * the message: after its lease a relay claims it again, finds the job succeeded and marks it;
 * if the queue lost the job too (Redis restarted empty, or the succeeded record trimmed),
 * the job runs again and the idempotent consumer has no second effect.
 */
export class OutboxAcks {
  private readonly maxBatch: number;
  private buffer = new Set<string>();
  /** The round the next ack joins (not started yet). */
  private nextRound: Promise<void> | null = null;
  /** The round whose UPDATE is running. */
  private inFlight: Promise<void> | null = null;
  private readonly listeners = new Set<(ids: readonly string[], releasesHeld: boolean, heldBehind: boolean) => void>();
  /** Whether an ack of the next round may let a held message go (a phone's send). */
  private releasesHeld = false;
  private counts = { acked: 0, failed: 0, writes: 0 };

  constructor(
    private readonly deps: { readonly outbox: Outbox; readonly clock: Clock; readonly logger: Logger },
    options: OutboxAcksOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  /**
   * Marks `messageId` published with the next round; resolves once that round is written
   * (never rejects). `releasesHeld`: the message is a phone's send, so its phone's next one
   * may now be claimed (listeners are told, and a relay looks at once).
   */
  ack(messageId: string, releasesHeld = true): Promise<void> {
    this.buffer.add(messageId);
    if (releasesHeld) this.releasesHeld = true;
    return this.schedule();
  }

  /** Resolves once every ack made so far is written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.nextRound || this.inFlight) await (this.nextRound ?? this.inFlight);
  }

  /**
   * `listener` gets the ids of each round written (a relay counts them), whether the callers
   * said a phone's send was among them (`releasesHeld`), and whether the outbox found a later
   * unpublished send to the phone of one of them (`heldBehind`: the relay looks for it at
   * once; a round of sends with nothing behind them runs no pass).
   */
  onAcked(listener: (ids: readonly string[], releasesHeld: boolean, heldBehind: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): OutboxAcksStatus {
    return { ...this.counts };
  }

  private schedule(): Promise<void> {
    if (this.nextRound) return this.nextRound;
    // After the running round, or on the next turn (acks of jobs finishing together share it).
    const before = this.inFlight ?? new Promise<void>((resolve) => setImmediate(resolve));
    const round = before.then(() => this.round());
    this.nextRound = round;
    return round;
  }

  private async round(): Promise<void> {
    this.nextRound = null;
    const ids = [...this.buffer];
    const releasesHeld = this.releasesHeld;
    this.buffer = new Set();
    this.releasesHeld = false;
    if (ids.length === 0) return;
    const write = this.write(ids, releasesHeld);
    this.inFlight = write;
    try {
      await write;
    } finally {
      if (this.inFlight === write) this.inFlight = null;
    }
  }

  private async write(ids: readonly string[], releasesHeld: boolean): Promise<void> {
    for (let i = 0; i < ids.length; i += this.maxBatch) {
      const chunk = ids.slice(i, i + this.maxBatch);
      this.counts.writes += 1;
      let heldBehind: boolean;
      try {
        ({ heldBehind } = await this.deps.outbox.markPublished(chunk, this.deps.clock.now()));
        this.counts.acked += chunk.length;
      } catch (error) {
        this.counts.failed += chunk.length;
        this.deps.logger.warn('outbox ack failed; those messages are marked after their lease', {
          messages: chunk.length,
          firstMessageId: chunk[0],
          error: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      for (const listener of this.listeners) {
        try {
          listener(chunk, releasesHeld, heldBehind);
        } catch (error) {
          this.deps.logger.error('outbox ack listener failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  }
}
