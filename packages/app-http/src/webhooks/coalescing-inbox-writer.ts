import { AsyncResource } from 'node:async_hooks';
import type { InboxEvent, InboxRecord, WebhookInbox } from '@khaacho/core';

export type InboxAnswer = { readonly event: InboxEvent; readonly duplicate: boolean };

export interface CoalescingOptions {
  /** Writes under way at once (default 2); further requests wait and go together as the next one. */
  readonly maxInFlight?: number;
  /** Events in one write at most (default 500): bounds the statement; a larger delivery still goes, alone. */
  readonly maxBatchEvents?: number;
  /** Raw bytes of the deliveries in one write at most (default 8 MiB), as above. */
  readonly maxBatchBytes?: number;
}

interface Pending {
  readonly events: readonly InboxRecord[];
  readonly bytes: number;
  readonly resolve: (answers: readonly InboxAnswer[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the webhook's inbox writes, over the WebhookInbox port. An idle writer sends
 * a delivery's write at once (no timer, no added latency); while `maxInFlight` writes are under
 * way, the deliveries that arrive wait and then go together as one `recordAll`, so 50
 * concurrent deliveries cost a few statements and commits instead of 50 (on PostgreSQL the
 * commit's WAL flush is most of an insert's cost).
 *
 * What each request sees is what it would see alone:
 * - it is answered only after its own rows committed (a batch is one statement, all or none);
 *   a process dying mid-batch has answered none of them, so Meta redelivers them all;
 * - a failed batch is written again one write per delivery, so a poison delivery fails only
 *   its own request (5xx, nothing of it stored) and the others are stored and answered;
 * - an event repeated across deliveries of one batch is stored once, for the first, and a
 *   duplicate for the later ones, as if they had come one after the other (recordAll's rule).
 */
export class CoalescingInboxWriter {
  private readonly maxInFlight: number;
  private readonly maxBatchEvents: number;
  private readonly maxBatchBytes: number;
  private inFlight = 0;
  private queue: Pending[] = [];
  /**
   * A write serves several requests, so it runs in the writer's own async context, not in that
   * of whichever request started it (whose log context, request id included, is not the batch's).
   */
  private readonly scope = new AsyncResource('CoalescingInboxWriter');

  constructor(
    private readonly inbox: WebhookInbox,
    options: CoalescingOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatchEvents = options.maxBatchEvents ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? 8 * 1_048_576;
    if (!(Number.isSafeInteger(this.maxInFlight) && this.maxInFlight >= 1))
      throw new RangeError('maxInFlight must be a whole number ≥ 1');
  }

  /** One delivery's events, all or none, answered once they are committed. `bytes`: its raw size. */
  recordAll(events: readonly InboxRecord[], bytes = 0): Promise<readonly InboxAnswer[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ events, bytes, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      void this.scope
        .runInAsyncScope(() => this.write(batch))
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }

  /** The oldest waiting deliveries up to the bounds (always at least one). */
  private take(): Pending[] {
    let events = 0;
    let bytes = 0;
    let n = 0;
    for (const p of this.queue) {
      if (n > 0 && (events + p.events.length > this.maxBatchEvents || bytes + p.bytes > this.maxBatchBytes)) break;
      events += p.events.length;
      bytes += p.bytes;
      n += 1;
    }
    return this.queue.splice(0, n);
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 1) return this.writeOne(batch[0] as Pending);
    let answers: readonly InboxAnswer[];
    try {
      answers = await this.inbox.recordAll(batch.flatMap((p) => p.events));
    } catch {
      // All or none: nothing of the batch is stored. Each delivery on its own now, so each gets
      // its own outcome (a poison one its error, the rest their rows). Side by side, as they
      // would have gone uncoalesced: one after the other, a database outage would make the last
      // of a batch wait out every earlier one's failure.
      await Promise.all(batch.map((p) => this.writeOne(p)));
      return;
    }
    let at = 0;
    for (const p of batch) {
      p.resolve(answers.slice(at, at + p.events.length));
      at += p.events.length;
    }
  }

  private async writeOne(p: Pending): Promise<void> {
    try {
      p.resolve(await this.inbox.recordAll(p.events));
    } catch (error) {
      p.reject(error);
    }
  }
}
