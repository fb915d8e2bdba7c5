import { inboundEventOf } from '@khaacho/adapters-whatsapp';
import type {
  AppliedStatus,
  Clock,
  ConversationHandler,
  IdempotencyStore,
  InboundEvent,
  InboxClaim,
  InboxEvent,
  Logger,
  MessageSender,
  MessageStatusUpdate,
  OutboundMessageLog,
  OutboxWakeup,
  PhoneNumber,
  ProviderErrorEvent,
  ProviderErrorInfo,
  Timer,
  WebhookInbox,
} from '@khaacho/core';
import { effectOncePerJob } from '../consumers/effect-once.js';
import { withLogContext } from '../logging/log-context.js';
import { InboxMarks, type InboxMarksStatus } from './inbox-marks.js';

/** Graph error codes the processor acts on (the rest are logged with their code). */
export const UNDELIVERABLE_CODE = 131026;
export const TOKEN_EXPIRED_CODE = 190;

export const DEFAULT_INBOX_MAX_ATTEMPTS = 8;
export const DEFAULT_INBOX_LEASE_MS = 60_000;

export const DEFAULT_INBOX_BATCH_SIZE = 50;
export const DEFAULT_INBOX_CONCURRENCY = 4;

export interface InboxProcessorOptions {
  /** Events claimed per pass (default 50); a full batch loops at once. */
  readonly batchSize?: number;
  /**
   * Chats worked side by side within a pass (default 4). The events of one chat (one phone
   * number) always run one at a time, in the order they were received.
   */
  readonly concurrency?: number;
  /**
   * How long a claimed event stays invisible to other processors (default 60 s). While a batch
   * runs, its unfinished events' leases are renewed every leaseMs / 3, so a slow handler (a
   * voice note) keeps them; a processor that died holds its batch this long, then another
   * claims it (attempts count up).
   */
  readonly leaseMs?: number;
  /**
   * Claims of one event before it is dead (listed by `WebhookInbox.listDead`), default 8. A
   * final attempt whose worker died is claimed once more (maxAttempts + 1) as the answering
   * attempt, with an operator alert; that one dying too leaves it dead.
   */
  readonly maxAttempts?: number;
  /** The wait after a pass with less than a batch: default 1 s with a wake-up source, else 250 ms. */
  readonly pollMs?: number;
  /**
   * After a pass in which every event failed, the next waits `backoffBaseMs` (default 1 s),
   * doubling per such pass up to `backoffMaxMs` (default 60 s), and wake-ups do not cut it
   * short: a failure here is a dependency down, and hammering it helps no one.
   */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

export interface InboxProcessorDeps {
  readonly inbox: WebhookInbox;
  readonly handler: ConversationHandler;
  readonly outboundLog: OutboundMessageLog;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly logger: Logger;
  /** For the operator alert (once per inbox event, through the idempotency store). */
  readonly sender: MessageSender;
  readonly idempotency: IdempotencyStore;
  readonly operatorPhone: PhoneNumber | null;
  /** PostgreSQL LISTEN/NOTIFY on inbox inserts; absent: it polls. */
  readonly wakeup?: OutboxWakeup;
}

export interface InboxProcessorStatus {
  readonly running: boolean;
  readonly processed: number;
  /** Attempts that threw (each marked FAILED with its error). */
  readonly failed: number;
  /** Of those, the events' last attempt: they are dead now. */
  readonly dead: number;
  /** Claimed events given back unworked because an earlier event of their chat failed. */
  readonly released: number;
  /** Passes started by a wake-up rather than the poll. */
  readonly woken: number;
  /** Status-callback batches applied by one write, and how many fell back to one write per event. */
  readonly statusBatches: number;
  readonly statusBatchFallbacks: number;
  /** The group commit of "processed" marks. */
  readonly marks: InboxMarksStatus;
  readonly lastError: string | null;
}

/**
 * Works the webhook inbox: claims due events (SKIP LOCKED with a lease, so any number of
 * processors can run and a dead one's events come back), dispatches each by kind, and marks
 * it processed or failed. A batch is split into lanes, one per chat (the phone number a message
 * comes from or a status is about): a lane's events run one at a time in the order received,
 * so a shop's messages are answered in the order they were sent, while up to `concurrency`
 * lanes run side by side, so one slow chat does not hold up the others' answers.
 *
 * - message → the ConversationHandler (idempotent per event id, so a re-claim after a crash
 *   answers once).
 * - status → the OutboundMessageLog (never backwards); failed with 131026 → warn + alert (only a warning once the message was read). A
 *   pass's status callbacks (no chat: their order does not matter, as a status never moves
 *   back) are applied together, by one `applyStatuses`, beside the chats' lanes.
 * - error → 190 (token expired) at error + alert; others logged with their codes.
 *
 * Events handled are marked processed by a group commit (`InboxMarks`): those of a pass that
 * finish together share one UPDATE.
 */
export class InboxProcessor {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private counts = {
    processed: 0,
    failed: 0,
    dead: 0,
    released: 0,
    woken: 0,
    statusBatches: 0,
    statusBatchFallbacks: 0,
  };
  private readonly marks: InboxMarks;
  private lastError: string | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private poked = false;
  private failingPasses = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: InboxProcessorDeps,
    options: InboxProcessorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_INBOX_BATCH_SIZE;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_INBOX_CONCURRENCY);
    this.leaseMs = options.leaseMs ?? DEFAULT_INBOX_LEASE_MS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_INBOX_MAX_ATTEMPTS;
    this.pollMs = options.pollMs ?? (deps.wakeup ? 1_000 : 250);
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.marks = new InboxMarks({ inbox: deps.inbox, clock: deps.clock });
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.unsubscribe = this.deps.wakeup?.subscribe(() => this.poke()) ?? null;
    this.loop = this.run();
  }

  /** Finishes the event under way and the rest of its batch, then stops (a drain, not an abort). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake?.();
    await this.loop;
    this.loop = null;
    // A pass awaits its own marks; this is for any made outside one.
    await this.marks.flush();
  }

  status(): InboxProcessorStatus {
    return {
      running: this.loop !== null && !this.stopping,
      ...this.counts,
      marks: this.marks.status(),
      lastError: this.lastError,
    };
  }

  /** One claim-and-dispatch pass; returns how many events it claimed. */
  async processOnce(): Promise<number> {
    const events = await this.deps.inbox.claim({
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      maxAttempts: this.maxAttempts,
      now: this.deps.clock.now(),
    });
    if (events.length === 0) return 0;
    // The batch's claims until each event's handling ends: their leases are renewed meanwhile.
    const open = new Map<string, InboxClaim>(events.map((e) => [e.id, { id: e.id, attempts: e.attempts }]));
    const stopHeartbeat = this.heartbeat(open);
    let failures = 0;
    let processed = 0;
    const tally = (outcome: 'processed' | 'failed' | 'dead') => {
      if (outcome === 'processed') processed += 1;
      else failures += 1;
    };
    const { statuses, ordered } = splitStatuses(events, this.maxAttempts);
    const lanes = [...lanesOf(ordered).values()];
    const work = async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
        for (const [i, event] of lane.entries()) {
          const outcome = await this.processEvent(event, () => open.delete(event.id));
          if (outcome === 'processed') {
            processed += 1;
            continue;
          }
          failures += 1;
          if (outcome === 'dead') continue; // a dead event no longer holds its chat up
          // The chat's later events wait for this one's retry: handed back with their attempt undone.
          await this.releaseRest(lane.slice(i + 1), open);
          break;
        }
      }
    };
    try {
      await Promise.all([
        this.processStatuses(statuses, open).then((outcomes) => outcomes.forEach(tally)),
        ...Array.from({ length: Math.min(this.concurrency, lanes.length) }, work),
      ]);
    } finally {
      stopHeartbeat();
    }
    // Only a pass in which nothing succeeded says a dependency is down: one event that fails on
    // every claim (a body no one can read) must not make every other chat wait out the backoff.
    // Events handed back behind a failure of their chat did not succeed either.
    this.failingPasses = failures > 0 && processed === 0 ? this.failingPasses + 1 : 0;
    return events.length;
  }

  /**
   * The pass's status callbacks, applied by one write; then each one's alert and mark as if it
   * had run alone. When that write fails (or the log refuses the list), each is run on its own,
   * so that only a bad one fails, and is retried, and ends dead, as alone.
   */
  private async processStatuses(
    batch: readonly StatusInBatch[],
    open: Map<string, InboxClaim>,
  ): Promise<Array<'processed' | 'failed' | 'dead'>> {
    if (batch.length === 0) return [];
    let applied: readonly AppliedStatus[];
    try {
      applied = await this.deps.outboundLog.applyStatuses(batch.map((b) => b.update));
      if (applied.length !== batch.length) throw new Error(`${applied.length} answers for ${batch.length} updates`);
    } catch (error) {
      this.counts.statusBatchFallbacks += 1;
      this.deps.logger.warn('inbox status callbacks could not be applied together; applying them one by one', {
        events: batch.length,
        error: error instanceof Error ? error.message : String(error),
      });
      // As many side by side as lanes run: with the database down each waits out its timeout.
      const outcomes: Array<'processed' | 'failed' | 'dead'> = [];
      const rest = [...batch];
      const alone = async () => {
        for (let next = rest.shift(); next; next = rest.shift()) {
          const { stored } = next;
          outcomes.push(await this.processEvent(stored, () => open.delete(stored.id)));
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, alone));
      return outcomes;
    }
    this.counts.statusBatches += 1;
    // Each one's effects side by side; each is marked only once all have ended, so that their
    // marks share one round (an alert's send would otherwise split it).
    const effects = batch.map(({ stored, update }, i) =>
      withLogContext({ jobId: stored.id, queue: 'webhook-inbox' }, () =>
        this.statusEffects(stored, update, applied[i] as AppliedStatus),
      ),
    );
    const allEnded = Promise.allSettled(effects);
    return Promise.all(
      batch.map(({ stored }, i) =>
        this.processEvent(
          stored,
          () => open.delete(stored.id),
          async () => {
            await allEnded;
            await effects[i];
          },
        ),
      ),
    );
  }

  private async releaseRest(rest: readonly InboxEvent[], open: Map<string, InboxClaim>): Promise<void> {
    if (rest.length === 0) return;
    for (const e of rest) open.delete(e.id);
    try {
      await this.deps.inbox.release(
        rest.map((e) => ({ id: e.id, attempts: e.attempts })),
        { maxAttempts: this.maxAttempts },
      );
      this.counts.released += rest.length;
    } catch (error) {
      // Unreleased, they stay PROCESSING until their lease runs out, then are claimed again
      // (in order: the failed one is earlier and unfinished).
      this.deps.logger.warn('inbox events behind a failed one could not be released; their lease will hand them back', {
        events: rest.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Renews the leases of `open` every leaseMs / 3 until the returned stop is called. */
  private heartbeat(open: Map<string, InboxClaim>): () => void {
    let stopped = false;
    let handle: unknown = null;
    const schedule = () => {
      if (!stopped) handle = this.deps.timer.setTimeout(beat, Math.max(1, Math.floor(this.leaseMs / 3)));
    };
    const beat = () => {
      handle = null;
      const claims = [...open.values()];
      if (stopped || claims.length === 0) return schedule();
      this.deps.inbox
        .renewLeases(claims, { leaseMs: this.leaseMs, now: this.deps.clock.now() })
        .then(
          (renewed) => {
            const kept = new Set(renewed);
            const lost = claims.filter((c) => !kept.has(c.id) && open.has(c.id));
            for (const c of lost) open.delete(c.id);
            if (lost.length > 0) {
              this.deps.logger.warn('inbox lease lost while handling: another processor may take these events', {
                inboxEventIds: lost.map((c) => c.id),
              });
            }
          },
          (error: unknown) => {
            // The next beat tries again; until the lease runs out nothing is lost.
            this.deps.logger.warn('inbox lease renewal failed', {
              events: claims.length,
              error: error instanceof Error ? error.message : String(error),
            });
          },
        )
        .finally(schedule);
    };
    schedule();
    return () => {
      stopped = true;
      if (handle !== null) this.deps.timer.clearTimeout(handle);
    };
  }

  private poke(): void {
    if (this.stopping) return;
    if (this.wake && this.failingPasses === 0) {
      this.counts.woken += 1;
      this.wake();
    } else this.poked = true;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.processOnce();
      } catch (error) {
        // The inbox itself is unreachable (the database is down): wait, then try again.
        this.lastError = error instanceof Error ? error.message : String(error);
        this.failingPasses += 1;
        this.deps.logger.warn('inbox claim failed; retrying', { error: this.lastError });
      }
      if (this.stopping) break;
      if (this.failingPasses > 0) {
        const delay = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (this.failingPasses - 1));
        await this.sleep(delay, false);
        continue;
      }
      if (claimed >= this.batchSize) continue;
      if (this.poked) {
        this.poked = false;
        continue;
      }
      await this.sleep(this.pollMs, true);
    }
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.deps.timer.setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      const done = () => {
        this.deps.timer.clearTimeout(handle);
        this.wake = null;
        resolve();
      };
      // stop() always ends a wait; a wake-up only a wakeable one.
      this.wake = wakeable ? done : () => (this.stopping ? done() : undefined);
    });
  }

  /**
   * 'processed'; 'failed' (marked, retried while it has attempts); 'dead' (that was its last).
   * `handle`: the event's work (default: dispatched by kind).
   */
  private async processEvent(
    stored: InboxEvent,
    handled: () => void,
    handle: () => Promise<void> = () => this.dispatch(stored),
  ): Promise<'processed' | 'failed' | 'dead'> {
    return withLogContext({ jobId: stored.id, queue: 'webhook-inbox' }, async () => {
      try {
        if (stored.attempts > this.maxAttempts) await this.rescued(stored);
        try {
          await handle();
        } finally {
          handled();
        }
        await this.marks.mark(stored.id);
        this.counts.processed += 1;
        return 'processed';
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.lastError = message;
        this.counts.failed += 1;
        const dead = stored.attempts >= this.maxAttempts;
        if (dead) this.counts.dead += 1;
        (dead ? this.deps.logger.error : this.deps.logger.warn).call(
          this.deps.logger,
          dead
            ? 'inbox event failed its last attempt; it is dead (an operator can retry it)'
            : 'inbox event failed; retried later',
          { attempt: stored.attempts, maxAttempts: this.maxAttempts, error: message },
        );
        try {
          await this.deps.inbox.markFailed(stored.id, message, this.deps.clock.now());
        } catch (markError) {
          // Unmarked, it stays PROCESSING until its lease runs out, then is claimed again.
          this.deps.logger.warn('inbox event could not be marked failed; its lease will hand it back', {
            error: markError instanceof Error ? markError.message : String(markError),
          });
        }
        return dead ? 'dead' : 'failed';
      }
    });
  }

  /**
   * The event's final attempt lapsed (its worker died): this reclaim answers in its place. It
   * may be a poison event that kills its worker, so the operator hears of it; if this attempt
   * dies too, the event is dead and the recovery sweep counts it so.
   */
  private async rescued(stored: InboxEvent): Promise<void> {
    this.deps.logger.error('inbox event: the worker stopped during its last attempt; answering it once more', {
      attempt: stored.attempts,
      maxAttempts: this.maxAttempts,
    });
    await this.alert(
      stored,
      `A WhatsApp event's worker stopped during its last attempt (inbox event ${stored.id}); it is run once more. If workers keep dying on it, it ends dead for an operator to look at.`,
      'lapsed-final-attempt',
    );
  }

  private async dispatch(stored: InboxEvent): Promise<void> {
    // A payload no processor can read (a signed body that was not JSON, or a newer format)
    // throws here and ends dead after its attempts, where an operator sees it.
    const event: InboundEvent = inboundEventOf(stored.payload);
    switch (event.kind) {
      case 'message':
        // On the last attempt a transient failure is answered rather than thrown (a voice note
        // whose media stays unavailable): the shop hears back, and the event is not dead.
        return this.deps.handler.handleMessage(event, { finalAttempt: stored.attempts >= this.maxAttempts });
      case 'status':
        return this.applyStatus(stored, event);
      case 'error':
        return this.providerErrors(stored, event);
    }
  }

  private async applyStatus(stored: InboxEvent, update: MessageStatusUpdate): Promise<void> {
    await this.statusEffects(stored, update, await this.deps.outboundLog.applyStatus(update));
  }

  /** What an applied status callback sets off: a failure's warning, and for 131026 the operator's alert. */
  private async statusEffects(
    stored: InboxEvent,
    update: MessageStatusUpdate,
    { advanced, entry }: AppliedStatus,
  ): Promise<void> {
    if (update.status !== 'failed') return;
    const codes = update.errors.map((e) => e.code);
    if (codes.includes(UNDELIVERABLE_CODE)) {
      // A failure the message had already moved past (read, so delivered): nothing to tell. A
      // failure not advanced but standing (this event re-run after a crash) still alerts: the
      // alert is once per event, so a re-run after it went out sends nothing.
      if (!advanced && entry.status !== 'failed') {
        this.deps.logger.warn('outbound message undeliverable (131026) reported after it was read; left as is', {
          providerMessageId: update.messageId,
          kind: entry.kind,
          status: entry.status,
          codes,
        });
        return;
      }
      this.deps.logger.warn('outbound message undeliverable (131026); marked failed', {
        providerMessageId: update.messageId,
        kind: entry.kind,
        advanced,
        codes,
      });
      await this.alert(
        stored,
        `A WhatsApp message (${entry.kind ?? 'message'}) could not be delivered: ${describe(update.errors)}.`,
      );
      return;
    }
    this.deps.logger.warn('outbound message failed', { providerMessageId: update.messageId, advanced, codes });
  }

  private async providerErrors(stored: InboxEvent, event: ProviderErrorEvent): Promise<void> {
    const codes = event.errors.map((e) => e.code);
    if (codes.includes(TOKEN_EXPIRED_CODE)) {
      this.deps.logger.error('WhatsApp access token expired or invalid (190): sending stops until it is replaced', {
        codes,
        businessNumberId: event.businessNumberId,
      });
      await this.alert(
        stored,
        `WhatsApp reports the access token expired (190): ${describe(event.errors)}. Replace WHATSAPP_ACCESS_TOKEN.`,
      );
      return;
    }
    this.deps.logger.warn('WhatsApp reported errors', { codes, titles: event.errors.map((e) => e.title) });
  }

  /** A text to the operator, once per inbox event (and `name`) however often the event is re-run. */
  private async alert(stored: InboxEvent, text: string, name = 'operator-alert'): Promise<void> {
    const phone = this.deps.operatorPhone;
    if (!phone) return;
    try {
      await effectOncePerJob(
        { idempotency: this.deps.idempotency, clock: this.deps.clock },
        { queue: 'webhook-inbox', jobId: stored.id, name },
        async () => {
          const { providerMessageId } = await this.deps.sender.send({ kind: 'text', to: phone, text });
          return { providerMessageId };
        },
      );
    } catch (error) {
      // The event itself is handled (logged above); an alert that cannot go out (with an
      // expired token none can) must not keep it failing until it is dead.
      this.deps.logger.error('operator alert could not be sent', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

interface StatusInBatch {
  readonly stored: InboxEvent;
  readonly update: MessageStatusUpdate;
}

/**
 * The batch's status callbacks that can be applied together: no chat (no order to keep) and
 * not the reclaim of a lapsed final attempt (that one runs alone, with its alert). The rest,
 * and any payload that does not parse (it fails on its own in `dispatch`), stay in order.
 */
function splitStatuses(
  events: readonly InboxEvent[],
  maxAttempts: number,
): { statuses: StatusInBatch[]; ordered: InboxEvent[] } {
  const statuses: StatusInBatch[] = [];
  const ordered: InboxEvent[] = [];
  for (const stored of events) {
    let event: InboundEvent | null = null;
    if (stored.chatKey === null && stored.attempts <= maxAttempts) {
      try {
        event = inboundEventOf(stored.payload);
      } catch {
        event = null;
      }
    }
    if (event?.kind === 'status') statuses.push({ stored, update: event });
    else ordered.push(stored);
  }
  return { statuses, ordered };
}

/**
 * The batch's events by chat (its inbox chat key), each lane in claim order (oldest first); an
 * event without a chat is a lane of its own. The inbox hands out a chat's events only with all
 * its earlier unfinished ones, so a lane run in order is the chat in order.
 */
function lanesOf(events: readonly InboxEvent[]): Map<string, InboxEvent[]> {
  const lanes = new Map<string, InboxEvent[]>();
  for (const stored of events) {
    const key = stored.chatKey === null ? `event:${stored.id}` : `chat:${stored.chatKey}`;
    const lane = lanes.get(key);
    if (lane) lane.push(stored);
    else lanes.set(key, [stored]);
  }
  return lanes;
}

function describe(errors: readonly ProviderErrorInfo[]): string {
  return errors.map((e) => `${e.code} ${e.title}`).join('; ') || 'no details';
}
