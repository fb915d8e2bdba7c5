/** What a server child reports over IPC once it listens. */
export interface ServerReady {
  readonly url: string;
  readonly pid: number;
  /** The API server's world; the bare one reports none (it reads the same database). */
  readonly world?: BenchWorld;
}

export interface BenchWorld {
  /** One shop per connection's worth of load, each with a signed RETAILER access token. */
  readonly shops: readonly { readonly retailerId: string; readonly userId: string; readonly token: string }[];
  readonly skus: readonly string[];
}

/** What the load child runs: autocannon against one target. */
export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly kind: 'intake-api' | 'intake-raw' | 'read-api' | 'read-raw';
  readonly world: BenchWorld;
}

/** What the load child reports: autocannon's figures, latencies in ms. */
export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statuses: Record<string, number>;
}

/** A server's own view of one measured run (`server-window.ts`). */
export interface ServerWindow {
  /** Event-loop delay (monitorEventLoopDelay, 10 ms resolution), ms. */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly mean: number };
  /** Share of the run's wall time the event loop was not idle (0–1). */
  readonly loopUtilisation: number;
  /** Connections checked out and callers queued for one, time-weighted means. */
  readonly pool: {
    readonly max: number;
    readonly meanInUse: number;
    readonly meanWaiting: number;
    readonly maxWaiting: number;
  };
}
