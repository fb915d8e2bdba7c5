import { AsyncLocalStorage } from 'node:async_hooks';

/** What ties a log line to the work it belongs to. */
export interface LogContext {
  readonly requestId?: string;
  readonly jobId?: string;
  readonly queue?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` with `context` merged over the current one: every line logged inside it,
 * however deep and across awaits, carries these ids (the pino adapter reads them per line).
 */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** The ids of the work running now; empty outside any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
