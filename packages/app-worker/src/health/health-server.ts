import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@khaacho/core';

/**
 * One readiness check: resolves when the dependency is usable, rejects (or throws) with
 * the reason when not. The signal aborts when the check's timeout is reached, so a check
 * that can cancel its work (a query, a socket) should.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<unknown>;

export interface HealthServerOptions {
  /** 0 binds a free port (tests); read the chosen one from `port` on the result. */
  readonly port: number;
  /** Default 0.0.0.0: probes come from outside the container. */
  readonly host?: string;
  /** Readiness checks by name (e.g. storage, redis, consumers). */
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** Each check's bound (default 2000 ms): past it the check counts as failed. */
  readonly checkTimeoutMs?: number;
  readonly logger?: Logger;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
}

export interface HealthServer {
  readonly port: number;
  readonly host: string;
  /** Close the listener and its open connections. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness and readiness over plain `node:http`:
 * - `GET /health` → 200 `{"status":"ok"}` while the process answers at all (liveness);
 * - `GET /ready` → 200 `{"status":"ready","checks":{…}}` when every check passes, else
 *   503 `{"status":"not ready","checks":{"name":{"ok":false,"error":"…"}}}`; checks run in
 *   parallel, each bounded by `checkTimeoutMs`;
 * - anything else → 404 (HEAD is answered as GET without a body).
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? '0.0.0.0';
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new RangeError(`health port must be a whole number 0–65535, got ${options.port}`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`checkTimeoutMs must be a whole number ≥ 1, got ${timeoutMs}`);
  }
  let wasReady: boolean | null = null;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only a bug gets here (checks are caught one by one): answer rather than hang the probe.
      options.logger?.error('health endpoint failed', { error: String(error) });
      if (!res.headersSent) send(req, res, 500, { status: 'error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const readable = req.method === 'GET' || req.method === 'HEAD';
    if (readable && path === '/health') return send(req, res, 200, { status: 'ok' });
    if (readable && path === '/ready') {
      const checks = await runChecks(options.checks, timeoutMs);
      const ready = Object.values(checks).every((c) => c.ok);
      if (wasReady !== ready) {
        // Log transitions, not every probe (a kubelet probes every few seconds).
        if (ready) options.logger?.info('ready', { checks: Object.keys(checks) });
        else options.logger?.warn('not ready', { checks });
        wasReady = ready;
      }
      return send(req, res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    }
    return send(req, res, 404, { status: 'not found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | null = null;
  return {
    port: address.port,
    host,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive probe connections would otherwise hold `close` open.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** A check over state the process already knows (e.g. "the consumers are running"). */
export function stateCheck(isOk: () => boolean, whenNot: string): HealthCheck {
  return async () => {
    if (!isOk()) throw new Error(whenNot);
  };
}

/** Every check at once, each bounded: a hanging dependency makes the answer 503, not a hang. */
export async function runChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await bounded(check, timeoutMs)] as const),
  );
  return Object.fromEntries(entries);
}

async function bounded(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({ ok: false, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const ran = (async (): Promise<CheckResult> => {
    try {
      await check(controller.signal);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([ran, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : json);
}
