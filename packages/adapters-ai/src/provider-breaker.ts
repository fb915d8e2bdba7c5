import CircuitBreaker from 'opossum';
import type { BreakerConfig } from './ai-config.js';
import { classifyFailure, type ProviderFailure } from './ai-errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Latency of the provider calls that ran (a short-circuited call has none), over the last `LATENCY_WINDOW`. */
export interface LatencySnapshot {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** What one provider (chat or transcription) did since start. */
export interface ProviderMetrics {
  /** Answers asked for (including those the breaker short-circuited). */
  readonly calls: number;
  readonly successes: number;
  /** Failed calls by reason; `breaker_open` counts the short-circuited ones. */
  readonly failures: Readonly<Partial<Record<ProviderFailure, number>>>;
  /** Answers given by the fallback instead of the provider. */
  readonly fallbacks: number;
  readonly state: BreakerState;
  /** How many times the breaker opened. */
  readonly opened: number;
  readonly latency: LatencySnapshot;
}

const LATENCY_WINDOW = 512;

/**
 * One opossum breaker around one provider call, with its fallback and counters. The call
 * gets an `AbortSignal` that fires at the timeout, so a slow provider's request is
 * cancelled rather than left running, and the fallback answers at the timeout.
 */
export class ProviderBreaker<A, R> {
  private readonly breaker: CircuitBreaker<[A, AbortSignal], R>;
  private calls = 0;
  private successes = 0;
  private fallbacks = 0;
  private opened = 0;
  private readonly failures: Partial<Record<ProviderFailure, number>> = {};
  private readonly latencies: number[] = [];
  private next = 0;

  constructor(
    name: string,
    action: (input: A, signal: AbortSignal) => Promise<R>,
    fallback: (input: A, failure: ProviderFailure) => R,
    private readonly timeoutMs: number,
    config: BreakerConfig,
  ) {
    this.breaker = new CircuitBreaker(action, {
      name,
      timeout: timeoutMs,
      errorThresholdPercentage: config.errorThresholdPercentage,
      volumeThreshold: config.volumeThreshold,
      resetTimeout: config.resetTimeoutMs,
      rollingCountTimeout: config.rollingWindowMs,
      rollingCountBuckets: 10,
      // Percentiles are computed here over a bounded window; opossum's own would grow per bucket.
      rollingPercentilesEnabled: false,
    });
    this.breaker.fallback((input: A, _signal: AbortSignal, error: unknown) => {
      this.fallbacks += 1;
      return fallback(input, classifyFailure(error));
    });
    this.breaker.on('success', (_result: R, latencyMs: number) => {
      this.successes += 1;
      this.record(latencyMs);
    });
    this.breaker.on('failure', (error: unknown, latencyMs: number) => {
      this.count(classifyFailure(error));
      this.record(latencyMs);
    });
    // A timeout is also a 'failure' with code ETIMEDOUT: counted there.
    this.breaker.on('reject', () => this.count('breaker_open'));
    this.breaker.on('open', () => {
      this.opened += 1;
    });
  }

  /** The provider's answer, or the fallback's when it fails, times out or the breaker is open. */
  fire(input: A): Promise<R> {
    this.calls += 1;
    return this.breaker.fire(input, AbortSignal.timeout(this.timeoutMs));
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Resolves when the breaker next changes to `state` (for readiness probes and tests). */
  when(state: BreakerState): Promise<void> {
    const event = state === 'half-open' ? 'halfOpen' : state === 'open' ? 'open' : 'close';
    return new Promise((resolve) => this.breaker.once(event, () => resolve()));
  }

  metrics(): ProviderMetrics {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      calls: this.calls,
      successes: this.successes,
      failures: { ...this.failures },
      fallbacks: this.fallbacks,
      state: this.state,
      opened: this.opened,
      latency: {
        count: sorted.length,
        meanMs: sorted.length === 0 ? 0 : Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        maxMs: sorted.at(-1) ?? 0,
      },
    };
  }

  /** Stops the breaker's timers (the reset timer of an open breaker keeps a process alive otherwise). */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private count(failure: ProviderFailure): void {
    this.failures[failure] = (this.failures[failure] ?? 0) + 1;
  }

  private record(latencyMs: number): void {
    this.latencies[this.next] = latencyMs;
    this.next = (this.next + 1) % LATENCY_WINDOW;
  }
}
