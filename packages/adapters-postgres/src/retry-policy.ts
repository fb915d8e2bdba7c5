/** How often the unit of work re-runs work that lost a race (serialization, deadlock, version check). */
export interface RetryPolicy {
  /** Total runs of the work, first included. */
  readonly maxAttempts: number;
  /** Wait before run n+1 is `baseDelayMs × n`: linear, no jitter, so tests are reproducible. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10 };
