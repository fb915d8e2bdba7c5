import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { POSTGRES_PERSISTENCE } from '@khaacho/adapters-postgres';
import type { Composition } from '@khaacho/app-worker/composition';
import { JOB_QUEUE, LOGGER, QUEUE_NAMES, REPOSITORY_TOKENS } from '@khaacho/core';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { HttpError, HttpErrorCodes } from './error-statuses.js';
import type { RequestState } from './request-context.js';

export const METRICS_PATH = '/metrics';

export interface MetricsOptions {
  /**
   * When set, /metrics answers only `Authorization: Bearer <token>` (from any address); when
   * null, only direct loopback callers (no X-Forwarded-For: a proxy on the same host forwards
   * remote callers from 127.0.0.1, so set a token behind one).
   */
  readonly token: string | null;
  /** Bound of each scrape-time read (orders, queues): a slow store leaves its gauge empty, never hangs the scrape. */
  readonly collectTimeoutMs?: number;
}

export interface HttpMetrics {
  readonly registry: Registry;
  /** Outermost: times every request and labels it with the matched route template, never the raw path. */
  readonly observe: Middleware<RequestState>;
  /** Answers GET /metrics; passes everything else on. */
  readonly serve: Middleware<RequestState>;
}

const DEFAULT_COLLECT_TIMEOUT_MS = 2_000;

/**
 * Prometheus metrics on a registry of this app's own (two apps in one process, as in tests,
 * never share or double-register). Order and queue gauges are read on each /metrics scrape.
 */
export function httpMetrics(composition: Composition, options: MetricsOptions): HttpMetrics {
  const registry = new Registry();
  const logger = composition.get(LOGGER);
  const timeoutMs = options.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS;
  // Process metrics, among them nodejs_eventloop_lag_seconds and the event-loop delay percentiles.
  collectDefaultMetrics({ register: registry });

  const duration = new Histogram({
    name: 'khaacho_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const collectFailed = new Gauge({
    name: 'khaacho_metrics_collect_failed',
    help: '1 when the last scrape could not read this source in time (its gauges are then absent)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const bounded = async <T>(source: string, read: () => Promise<T>, write: (value: T) => void): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${source} took over ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      write(value);
      collectFailed.set({ source }, 0);
    } catch (error) {
      collectFailed.set({ source }, 1);
      logger.warn('metrics source failed', { source, error: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  };
  const orders = new Gauge({
    name: 'khaacho_orders',
    help: 'Orders by status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const queueJobs = new Gauge({
    name: 'khaacho_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  // Only with PostgreSQL (a server or embedded): the in-memory store has no pool, so no series.
  // pg-pool's counters are read synchronously in collect(): no query, nothing to bound.
  if (composition.container.isBound(POSTGRES_PERSISTENCE)) {
    const persistence = composition.get(POSTGRES_PERSISTENCE);
    new Gauge({
      name: 'khaacho_db_pool_connections',
      help: 'Database pool connections: open (total), idle, in use, and the pool bound (max; 1 embedded)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = persistence.poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'in_use' }, stats.total - stats.idle);
        this.set({ state: 'max' }, stats.max);
      },
    });
    new Gauge({
      name: 'khaacho_db_pool_waiting',
      help: 'Callers waiting for a database connection (the pool is at its bound, every connection in use)',
      registers: [registry],
      collect() {
        this.set(persistence.poolStats().waiting);
      },
    });
  }
  // Read before serialising, not in each gauge's collect(): prom-client collects metrics in
  // parallel, and khaacho_metrics_collect_failed must describe this scrape, not the last one.
  const refresh = async (): Promise<void> => {
    orders.reset();
    queueJobs.reset();
    const queue = composition.get(JOB_QUEUE);
    await Promise.all([
      bounded(
        'orders',
        () => composition.get(REPOSITORY_TOKENS.orders).countByStatus(),
        (counts) => {
          for (const [status, n] of Object.entries(counts)) orders.set({ status }, n);
        },
      ),
      bounded(
        'queues',
        () => Promise.all(QUEUE_NAMES.map(async (name) => [name, await queue.stats(name)] as const)),
        (all) => {
          for (const [name, stats] of all)
            for (const [state, n] of Object.entries(stats)) queueJobs.set({ queue: name, state }, n);
        },
      ),
    ]);
  };

  // One child per label set, found by a string key: `end(labels)` on the histogram would check
  // and hash the three labels on every request (~6% of a webhook delivery's CPU). The sets are
  // bounded: methods (Node's parser knows a fixed list), route templates or 'unmatched', statuses.
  const children = new Map<string, { observe(seconds: number): void }>();
  const observe: Middleware<RequestState> = async (ctx, next) => {
    if (ctx.path === METRICS_PATH) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      // Unmatched paths share one label: raw paths (ids, probes) would grow the series without bound.
      const route = ctx.state.route ?? 'unmatched';
      const status = ctx.status;
      const key = `${ctx.method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = duration.labels({ method: ctx.method, route, status: String(status) });
        children.set(key, child);
      }
      child.observe((performance.now() - started) / 1000);
    }
  };

  const serve: Middleware<RequestState> = async (ctx, next) => {
    if (ctx.path !== METRICS_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.state.route = METRICS_PATH;
    allowed(ctx.get('Authorization'), ctx.get('X-Forwarded-For'), ctx.req.socket.remoteAddress, options.token);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    await refresh();
    ctx.body = await registry.metrics();
  };
  return { registry, observe, serve };
}

function allowed(
  authorization: string,
  forwardedFor: string,
  remoteAddress: string | undefined,
  token: string | null,
): void {
  if (token !== null) {
    const given = Buffer.from(authorization.startsWith('Bearer ') ? authorization.slice(7) : '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new HttpError(401, HttpErrorCodes.UNAUTHENTICATED, 'metrics need the metrics bearer token');
    return;
  }
  if (forwardedFor !== '' || !isLoopback(remoteAddress))
    throw new HttpError(
      403,
      HttpErrorCodes.FORBIDDEN_ROLE,
      'metrics are served to loopback only unless a token is set',
    );
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}
